package dev.clavis.portal;

/**
 * What every page's layout shows: title, the part of the navigation it belongs to, who is
 * signed in, their form token, and a message.
 */
public record Page(String title, String section, String user, String csrf, String notice, String error) {
    static Page anonymous(String title, String error) {
        return new Page(title, null, null, null, null, error);
    }

    /** A page before sign-in whose form carries the pre-session token. */
    static Page form(String title, String error, String formToken) {
        return new Page(title, null, null, formToken, null, error);
    }
}
