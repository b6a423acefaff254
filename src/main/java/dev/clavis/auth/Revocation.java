package dev.clavis.auth;

import java.util.Optional;

/**
 * What a committed change takes out of every node's caches: one credential, everything an app
 * holds (its record and the keys bound to it), or everything. Written to the revocation log as a
 * kind and a subject.
 */
public sealed interface Revocation {
    String kind();

    String subject();

    /** A key, PAT or session was patched or deleted. */
    record Key(String publicId) implements Revocation {
        public String kind() {
            return "key";
        }

        public String subject() {
            return publicId;
        }
    }

    /** An app was patched or deleted (and with it, its keys). */
    record App(String userId, String appId) implements Revocation {
        public String kind() {
            return "app";
        }

        public String subject() {
            return userId + "/" + appId;
        }
    }

    /** Everything cached: said by a node that cannot tell what it missed. */
    record Everything() implements Revocation {
        public String kind() {
            return "all";
        }

        public String subject() {
            return "";
        }
    }

    /** The revocation a log row stands for; empty for a kind this version does not know. */
    static Optional<Revocation> of(String kind, String subject) {
        return switch (kind) {
            case "key" -> Optional.of(new Key(subject));
            case "app" -> {
                int slash = subject.indexOf('/');
                yield slash < 0 ? Optional.empty()
                        : Optional.of(new App(subject.substring(0, slash), subject.substring(slash + 1)));
            }
            case "all" -> Optional.of(new Everything());
            default -> Optional.empty();
        };
    }
}
