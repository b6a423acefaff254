package dev.clavis.auth;

import java.util.Optional;

/**
 * What a committed change takes out of every node's caches: one credential, everything an app
 * holds (its record, the keys bound to it, its models), one model with its versions, or
 * everything. Written to the revocation log as a kind and a subject.
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

    /** A model was patched or deleted, or one of its versions changed (trained, failed, deleted). */
    record Model(String userId, String appId, String modelId) implements Revocation {
        public String kind() {
            return "model";
        }

        public String subject() {
            return userId + "/" + appId + "/" + modelId;
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
            case "model" -> {
                String[] ids = subject.split("/", 3);
                yield ids.length == 3 ? Optional.of(new Model(ids[0], ids[1], ids[2])) : Optional.empty();
            }
            case "all" -> Optional.of(new Everything());
            default -> Optional.empty();
        };
    }
}
