package dev.clavis.protocol;

import java.util.regex.Pattern;

/**
 * Resource ids: letters and digits, with single hyphens or underscores between them, 1 to 32
 * characters (Clarifai's rule for app ids, applied to users and apps alike).
 */
public final class Ids {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]+([_-][A-Za-z0-9]+)*");
    public static final int MAX_LENGTH = 32;

    private Ids() {}

    public static boolean valid(String id) {
        return valid(id, MAX_LENGTH);
    }

    public static boolean valid(String id, int maxLength) {
        return id != null && id.length() <= maxLength && ID.matcher(id).matches();
    }

    public static void requireValid(String what, String id) {
        requireValid(what, id, MAX_LENGTH);
    }

    /** For resources whose ids run longer than apps' (inputs, concepts). */
    public static void requireValid(String what, String id, int maxLength) {
        if (!valid(id, maxLength)) {
            throw ApiException.badRequest("Invalid " + what + " '" + abbreviate(id) + "': use 1 to " + maxLength
                    + " letters or digits, with hyphens or underscores between them.");
        }
    }

    private static String abbreviate(String id) {
        if (id == null) return "";
        return id.length() > 64 ? id.substring(0, 64) + "..." : id;
    }
}
