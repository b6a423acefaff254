package dev.clavis.portal;

/** What every page's layout shows: title, who is signed in, their form token, and a message. */
public record Page(String title, String user, String csrf, String notice, String error) {
    static Page anonymous(String title, String error) {
        return new Page(title, null, null, null, error);
    }
}
