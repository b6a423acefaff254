package dev.clavis.portal;

import dev.clavis.keys.CredentialUsage;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A key's requests per day as the bars of a small SVG chart: done below, refused stacked above in
 * red, scaled to the busiest day. Geometry is worked out here; the template only draws it.
 */
public record UsageChart(List<Day> days, long total, long refused, long peak, int width, int height, int barWidth) {
    private static final int HEIGHT = 160;
    private static final int BAR = 24;
    private static final int GAP = 8;

    /** One bar. Coordinates are SVG user units, y growing downwards. */
    public record Day(String label, long succeeded, long refused, int x, int okY, int okHeight, int refusedY, int refusedHeight,
                      boolean labelled) {}

    static UsageChart of(List<CredentialUsage.Period> periods, Instant now, int days) {
        Map<LocalDate, long[]> byDay = new LinkedHashMap<>();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (int i = days - 1; i >= 0; i--) byDay.put(today.minusDays(i), new long[2]);
        long total = 0;
        long refusedAll = 0;
        for (CredentialUsage.Period p : periods) {
            long[] counts = byDay.get(LocalDate.ofInstant(p.start(), ZoneOffset.UTC));
            if (counts == null) continue;
            boolean ok = p.outcome().equals("success");
            counts[ok ? 0 : 1] += p.count();
            total += p.count();
            if (!ok) refusedAll += p.count();
        }
        long peak = Math.max(1, byDay.values().stream().mapToLong(c -> c[0] + c[1]).max().orElse(1));
        List<Day> bars = new ArrayList<>();
        int i = 0;
        for (Map.Entry<LocalDate, long[]> e : byDay.entrySet()) {
            long ok = e.getValue()[0];
            long no = e.getValue()[1];
            int okHeight = (int) Math.round(ok * (double) HEIGHT / peak);
            int noHeight = (int) Math.round(no * (double) HEIGHT / peak);
            int x = i * (BAR + GAP);
            bars.add(new Day(e.getKey().toString(), ok, no, x, HEIGHT - okHeight, okHeight, HEIGHT - okHeight - noHeight, noHeight,
                    (days - 1 - i) % 2 == 0));
            i++;
        }
        return new UsageChart(bars, total, refusedAll, peak == 1 && total == 0 ? 0 : peak, days * (BAR + GAP), HEIGHT, BAR);
    }
}
