/**
 * The only code that knows the wire: the V2 method table read from the published descriptor,
 * the REST and gRPC front doors, JSON transcoding, and the status -> HTTP mapping. Handlers
 * elsewhere receive protocol messages and a {@link dev.clavis.protocol.Call}; they never see
 * headers, paths or transports.
 */
package dev.clavis.protocol;
