#!/bin/sh
# Writes the development secrets that deploy/k8s/overlays/dev turns into Kubernetes Secrets:
#
#   postgres-password            random password of the `workshare` PostgreSQL user
#   eventstore-url               postgres://workshare:<password>@postgres:5432/workshare
#   identity-master-key          base64 of 32 random bytes (wraps the per-member data keys)
#   identity-signing-key.jwk     private Ed25519 JWK (alg EdDSA) that signs identity's tokens
#   seal-key.pem                 PKCS#8 PEM Ed25519 private key that signs the audit's seals of
#                                the log (never in the database: a seal must not be forgeable
#                                by the store's writer)
#
# Usage: deploy/k8s/dev-secrets.sh [target-dir]   (default: deploy/k8s/overlays/dev/secrets)
#
# Existing files are kept (the database and issued tokens keep working across runs); delete a
# file to rotate it. The folder is git-ignored and readable by you only. Development only:
# a real cluster gets its secrets from a secret manager, never from this script.
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
dir=${1:-"$here/overlays/dev/secrets"}

command -v node >/dev/null 2>&1 || { echo "dev-secrets.sh: node is required (Node 20)" >&2; exit 1; }

umask 077
mkdir -p "$dir"
chmod 700 "$dir"

# create <file> <node program printing the value>: writes the value without a trailing
# newline (Secret values are the files' exact bytes), unless the file already has content.
create() {
  if [ -s "$dir/$1" ]; then
    echo "dev-secrets: kept    $dir/$1"
    return 0
  fi
  node -e "$2" > "$dir/$1.tmp"
  mv "$dir/$1.tmp" "$dir/$1"
  echo "dev-secrets: created $dir/$1"
}

create postgres-password \
  "process.stdout.write(require('node:crypto').randomBytes(24).toString('hex'))"

create identity-master-key \
  "process.stdout.write(require('node:crypto').randomBytes(32).toString('base64'))"

# Ed25519, as identity generates for itself when no key is configured (it also accepts P-256).
create identity-signing-key.jwk "
const { generateKeyPairSync } = require('node:crypto');
const { privateKey } = generateKeyPairSync('ed25519');
process.stdout.write(JSON.stringify({ ...privateKey.export({ format: 'jwk' }), alg: 'EdDSA', use: 'sig' }));
"

# Ed25519 in PKCS#8 PEM, what the audit's WORKSHARE_SEAL_KEY takes.
create seal-key.pem "
const { generateKeyPairSync } = require('node:crypto');
const { privateKey } = generateKeyPairSync('ed25519');
process.stdout.write(privateKey.export({ type: 'pkcs8', format: 'pem' }));
"

# Always derived from the password file, so the two cannot disagree.
password=$(cat "$dir/postgres-password")
printf 'postgres://workshare:%s@postgres:5432/workshare' "$password" > "$dir/eventstore-url.tmp"
mv "$dir/eventstore-url.tmp" "$dir/eventstore-url"
