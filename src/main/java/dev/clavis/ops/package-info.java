/** What operators see of a running node: metrics, readiness, and the gRPC health service fed by it. */
package dev.clavis.ops;
