/** The entry of `workshare audit ...`: the audit's command line (@workshare/audit, its src/cli). */
import { auditCliMain } from '@workshare/audit';

process.exit(await auditCliMain(process.argv.slice(3)));
