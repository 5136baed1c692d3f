import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { descriptorSetBase64 } from './gen/descriptors.js';

/** google.protobuf.FileDescriptorSet of every contract in proto/ and the files they import. */
export const descriptorSet: Uint8Array = Uint8Array.from(Buffer.from(descriptorSetBase64, 'base64'));

const files = fromBinary(FileDescriptorSetSchema, descriptorSet).file;

/**
 * Each file of the set as a serialized google.protobuf.FileDescriptorProto, imports before
 * the files that import them: what gRPC server reflection serves
 * (`startGrpcServer({ descriptors })` in @workshare/grpc).
 */
export const fileDescriptorProtos: readonly Uint8Array[] = files.map((file) =>
  toBinary(FileDescriptorProtoSchema, file),
);

/** Fully qualified names of every service in the contracts, e.g. `workshare.identity.v1.IdentityService`. */
export const serviceNames: readonly string[] = files.flatMap((file) =>
  file.service.map((service) => (file.package ? `${file.package}.${service.name}` : service.name)),
);
