package dev.clavis.protocol;

/**
 * A page of a list, as Clarifai counts them: page from 1 (0 means 1), {@code per_page} 128 by
 * default and at most 1000. A page past the end is simply empty.
 */
public record Page(long page, int perPage) {
    public static final int DEFAULT_PER_PAGE = 128;
    public static final int MAX_PER_PAGE = 1000;

    public static Page of(long page, long perPage) {
        if (page < 0 || perPage < 0) throw ApiException.badRequest("page and per_page must not be negative.");
        int size = perPage == 0 ? DEFAULT_PER_PAGE : (int) Math.min(perPage, MAX_PER_PAGE);
        return new Page(Math.max(page, 1), size);
    }

    public long offset() {
        return (page - 1) * perPage;
    }
}
