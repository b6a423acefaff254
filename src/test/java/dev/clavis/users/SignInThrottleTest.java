package dev.clavis.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The delays: free failures, then doubling per failure up to the cap; a success clears only its own pair. */
class SignInThrottleTest {
    /** Time that moves only when the test moves it. */
    private static final class StoppedClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final StoppedClock clock = new StoppedClock();
    private final SignInThrottle throttle = new SignInThrottle(clock);

    @Test
    void delays_double_with_each_failure_up_to_fifteen_minutes() {
        for (int i = 0; i < SignInThrottle.FREE_PER_PAIR; i++) {
            assertEquals(Duration.ZERO, throttle.retryAfter("a@x.io", "1.1.1.1"));
            throttle.failed("a@x.io", "1.1.1.1");
        }
        long expected = 1;
        for (int i = 0; i < 14; i++) {
            assertEquals(Duration.ofSeconds(Math.min(expected, 900)), throttle.retryAfter("A@X.io ", "1.1.1.1"), "after failure " + i);
            clock.advance(throttle.retryAfter("a@x.io", "1.1.1.1"));
            assertEquals(Duration.ZERO, throttle.retryAfter("a@x.io", "1.1.1.1"), "waited out");
            throttle.failed("a@x.io", "1.1.1.1");
            expected *= 2;
        }
        assertEquals(Duration.ZERO, throttle.retryAfter("a@x.io", "2.2.2.2"), "another address is not held back");
        throttle.succeeded("a@x.io", "2.2.2.2");
        assertEquals(Duration.ofMinutes(15), throttle.retryAfter("a@x.io", "1.1.1.1"), "someone else's success clears nothing here");
        throttle.succeeded("a@x.io", "1.1.1.1");
        assertEquals(Duration.ZERO, throttle.retryAfter("a@x.io", "1.1.1.1"));
    }

    @Test
    void one_address_spraying_many_accounts_is_slowed_for_all_of_them() {
        for (int i = 0; i < SignInThrottle.FREE_PER_ADDRESS; i++) throttle.failed("user" + i + "@x.io", "9.9.9.9");
        assertEquals(Duration.ofSeconds(1), throttle.retryAfter("fresh@x.io", "9.9.9.9"));
        assertEquals(Duration.ZERO, throttle.retryAfter("fresh@x.io", "8.8.8.8"));
    }
}
