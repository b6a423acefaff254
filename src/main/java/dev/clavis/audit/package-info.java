/**
 * The audit log: who did what to users, apps and credentials, recorded in the database with the
 * change it describes, readable by each user for their own account.
 */
package dev.clavis.audit;
