package dev.clavis.jobs;

/**
 * One claimed job: what to work on, and which attempt this is. {@code attempt} with the node's
 * name is the fencing token: writes are accepted only while both still match the row.
 *
 * @param target the input id for a download; {@code model_id/version_id} for a training
 */
public record Job(long id, String kind, String userId, String appId, String target, int attempt) {
    public static final String DOWNLOAD = "download";
    public static final String TRAINING = "training";
}
