package dev.clavis.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import org.junit.jupiter.api.Test;

class DispatcherTest {
    @Test
    void request_lines_give_latency_in_milliseconds_with_two_decimals_rounded() {
        assertEquals("0.00", Dispatcher.milliseconds(4_999));
        assertEquals("0.01", Dispatcher.milliseconds(5_000));
        assertEquals("0.05", Dispatcher.milliseconds(54_000));
        assertEquals("1.50", Dispatcher.milliseconds(1_500_000));
        assertEquals("12.35", Dispatcher.milliseconds(12_345_678));
        assertEquals("1000.00", Dispatcher.milliseconds(999_999_999));
    }
}
