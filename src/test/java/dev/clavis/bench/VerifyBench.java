package dev.clavis.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.clarifai.grpc.api.MyScopesRequest;
import com.clarifai.grpc.api.V2Grpc;
import dev.clavis.apps.AppService;
import dev.clavis.auth.AccessControl;
import dev.clavis.auth.Authenticator;
import dev.clavis.auth.CredentialHeaders;
import dev.clavis.auth.CredentialKind;
import dev.clavis.auth.PasswordHasher;
import dev.clavis.auth.RateLimiter;
import dev.clavis.auth.Revocations;
import dev.clavis.auth.ScopeCatalog;
import dev.clavis.auth.SecretVault;
import dev.clavis.db.Database;
import dev.clavis.db.RevocationFeed;
import dev.clavis.keys.KeyService;
import dev.clavis.keys.KeyStore;
import dev.clavis.keys.ScopeHandlers;
import dev.clavis.protocol.CallMeters;
import dev.clavis.protocol.Dispatcher;
import dev.clavis.protocol.Door;
import dev.clavis.protocol.Handlers;
import dev.clavis.protocol.JsonCodec;
import dev.clavis.protocol.MethodTable;
import dev.clavis.protocol.RpcMethod;
import dev.clavis.users.UserService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * A benchmark, not a test: what Clavis itself spends on a request, without a web server around
 * it. In one JVM over a fresh SQLite database: verifying a cached app key
 * ({@code Authenticator.authenticate}, the "in-process verify"), and the whole dispatch of
 * MyScopes (authenticate, authorize, handle, print JSON) as the REST door runs it, each timed call
 * by call for percentiles. Request log lines are off here. Run with {@code bench/verify [calls, default 2000000]}.
 */
public final class VerifyBench {
    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        // A line per call would measure the console; bench/hotpath measures the server with it.
        ((Logger) LoggerFactory.getLogger("clavis.requests")).setLevel(Level.WARN);
        Path dir = ScratchDir.create("clavis-verify");
        MethodTable methods = MethodTable.fromDescriptor();
        ScopeCatalog scopes = new ScopeCatalog(methods);
        Clock clock = Clock.systemUTC();
        try (Database database = Database.open("jdbc:sqlite:" + dir.resolve("bench.db"))) {
            Authenticator authenticator = new Authenticator(database.jdbi().onDemand(KeyStore.class)::findByHash, clock);
            Revocations revocations = new Revocations(new RevocationFeed(database, clock, Duration.ofSeconds(1), Duration.ofHours(1)));
            KeyService keys = new KeyService(database.jdbi(), scopes, methods, revocations, clock, Duration.ofHours(1), SecretVault.of(null));
            AppService apps = new AppService(database.jdbi(), keys, revocations, clock);
            revocations.subscribe(authenticator::revoke);
            revocations.subscribe(apps::revoke);
            new UserService(database.jdbi(), new PasswordHasher(), clock).create("bench", "bench@example.com", "bench password");
            String key = apps.create("bench", List.of(new AppService.AppDraft("app", "", "", 0, null))).get(0).key().secret().reveal();
            CredentialHeaders headers = new CredentialHeaders("Key " + key, null);

            Dispatcher dispatcher = new Dispatcher(new Handlers().on(V2Grpc.getMyScopesMethod(),
                    new ScopeHandlers(scopes, methods, apps)::myScopes), authenticator, new AccessControl(scopes, apps::find),
                    RateLimiter.local(0), CallMeters.unexported());
            JsonCodec json = new JsonCodec(methods);
            RpcMethod myScopes = methods.method("MyScopes").orElseThrow();
            MyScopesRequest request = MyScopesRequest.getDefaultInstance();

            System.out.printf(Locale.ROOT, "%d calls each, one thread, after as many to warm up%n", calls);
            for (int round = 0; round < 2; round++) {
                boolean report = round == 1;
                measure("verify a cached key", calls, report, () -> authenticator.authenticate(headers));
                measure("MyScopes dispatch + JSON", calls / 4, report,
                        () -> json.print(dispatcher.call(Door.REST, "127.0.0.1", myScopes, headers, () -> request).response()));
            }
        }
    }

    private static void measure(String name, int calls, boolean report, Runnable call) {
        long[] nanos = new long[calls];
        long started = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            long s = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - s;
        }
        double total = (System.nanoTime() - started) / 1e3;
        if (!report) return;
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%-26s mean %6.2f us, p50 %6.2f us, p99 %6.2f us, p99.9 %7.2f us, max %8.1f us%n", name,
                total / calls, nanos[calls / 2] / 1e3, nanos[(int) (calls * 0.99)] / 1e3, nanos[(int) (calls * 0.999)] / 1e3,
                nanos[calls - 1] / 1e3);
    }
}
