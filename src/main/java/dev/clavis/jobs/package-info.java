/**
 * Background work that any node can do: a table of jobs ({@code jobs}), added in the same
 * transaction as what they work on ({@link dev.clavis.jobs.JobQueue}), claimed under a lease by
 * whichever node is free ({@link dev.clavis.jobs.JobWorkers}), and finished only by the node that
 * still holds the lease ({@link dev.clavis.jobs.Lease}). A node that dies mid-job stops renewing
 * its lease, and another node takes the job over.
 */
package dev.clavis.jobs;
