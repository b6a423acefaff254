package dev.clavis.audit;

/**
 * Who is acting on this thread, for the audit entries a change records: the door it came in by,
 * the user and credential (public id) when known, the request id and the client's address. The
 * front doors set it for the length of a call; nothing else needs to pass it along.
 */
public record Actor(String door, String userId, String credential, String reqId, String address) {
    private static final ThreadLocal<Actor> CURRENT = new ThreadLocal<>();
    private static final Actor UNKNOWN = new Actor("internal", null, null, null, null);

    public static Actor current() {
        Actor actor = CURRENT.get();
        return actor == null ? UNKNOWN : actor;
    }

    /** Acts as this actor until {@link #clear}. */
    public static void set(Actor actor) {
        CURRENT.set(actor);
    }

    public static void clear() {
        // Not remove(): the pool's threads serve call after call, and emptying the slot is a
        // fraction of the cost of taking it out of the thread's map and putting it back.
        CURRENT.set(null);
    }

    /** The same actor, now known to be this user with this credential. */
    public Actor as(String user, String credentialId) {
        return new Actor(door, user, credentialId, reqId, address);
    }
}
