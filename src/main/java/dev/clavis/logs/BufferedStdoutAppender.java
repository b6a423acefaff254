package dev.clavis.logs;

import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Standard output written in blocks, the way nginx buffers its access log: lines gather in a
 * buffer that is written when full and at most {@code flushMillis} after a line arrived, and on
 * stop. Logback's console appender flushes, one system call, after every line, and its
 * asynchronous appender wakes its writer thread for every line: at tens of thousands of requests
 * a second either cost more than the rest of a warm request (bench/hotpath: 15-20 % of MyScopes
 * throughput, against 4 % for this). A request thread formats its own line and holds the lock
 * only to copy it, save the one that finds the buffer full and writes it out. A line may appear
 * up to {@code flushMillis} late, and a process killed outright loses at most that much; a clean
 * shutdown stops the logger context and loses nothing.
 */
public final class BufferedStdoutAppender<E> extends OutputStreamAppender<E> {
    private int bufferSize = 64 * 1024;
    private int flushMillis = 200;
    private OutputStream target = new FileOutputStream(FileDescriptor.out);
    private ScheduledExecutorService flusher;

    public void setBufferSize(int bytes) {
        this.bufferSize = bytes;
    }

    public void setFlushMillis(int millis) {
        this.flushMillis = millis;
    }

    /** Where the bytes go instead of standard output: tests read them there. */
    void setTarget(OutputStream target) {
        this.target = target;
    }

    @Override
    public void start() {
        // Stopping closes the appender's stream; standard output itself stays open.
        setOutputStream(new BufferedOutputStream(new FilterOutputStream(target) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        }, bufferSize));
        setImmediateFlush(false);
        super.start();
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "clavis-log-flush");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flush, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * A line goes into the buffer under the buffer's own lock alone (BufferedOutputStream's
     * writes are synchronised, which keeps lines whole): the appender's lock around it was a
     * second one taken for every line.
     */
    @Override
    protected void writeOut(E event) throws IOException {
        getOutputStream().write(getEncoder().encode(event));
    }

    private void flush() {
        try {
            // BufferedOutputStream synchronises its writes and flushes with each other.
            getOutputStream().flush();
        } catch (IOException e) {
            addError("could not flush standard output", e);
        }
    }

    @Override
    public void stop() {
        if (flusher != null) flusher.shutdownNow();
        super.stop();
    }
}
