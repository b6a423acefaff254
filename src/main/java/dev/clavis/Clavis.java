package dev.clavis;

import com.clarifai.grpc.api.V2Grpc;
import dev.clavis.apps.AppHandlers;
import dev.clavis.apps.AppService;
import dev.clavis.audit.AuditSearchEndpoint;
import dev.clavis.auth.AccessControl;
import dev.clavis.auth.Authenticator;
import dev.clavis.auth.RateLimiter;
import dev.clavis.auth.RedisRateLimiter;
import dev.clavis.auth.Revocations;
import dev.clavis.auth.ScopeCatalog;
import dev.clavis.auth.Secrets;
import dev.clavis.concepts.ConceptHandlers;
import dev.clavis.concepts.ConceptService;
import dev.clavis.config.Config;
import dev.clavis.db.Database;
import dev.clavis.inputs.AnnotationHandlers;
import dev.clavis.inputs.InputDownloads;
import dev.clavis.inputs.InputHandlers;
import dev.clavis.inputs.InputService;
import dev.clavis.jobs.Job;
import dev.clavis.jobs.JobQueue;
import dev.clavis.jobs.JobWorkers;
import dev.clavis.keys.KeyHandlers;
import dev.clavis.keys.CredentialUsage;
import dev.clavis.keys.KeyService;
import dev.clavis.keys.LeakReportEndpoint;
import dev.clavis.keys.UsageEndpoint;
import dev.clavis.keys.ScannerKeys;
import dev.clavis.keys.ScopeHandlers;
import dev.clavis.media.Images;
import dev.clavis.media.MediaLoader;
import dev.clavis.media.UrlFetcher;
import dev.clavis.models.ModelHandlers;
import dev.clavis.models.ModelService;
import dev.clavis.models.Outputs;
import dev.clavis.models.PredictHandlers;
import dev.clavis.models.Predictor;
import dev.clavis.models.Training;
import dev.clavis.models.compute.ImageEmbedder;
import dev.clavis.models.compute.TextEmbedder;
import dev.clavis.net.ClientAddresses;
import dev.clavis.ops.Readiness;
import dev.clavis.ops.ServerMetrics;
import dev.clavis.portal.Portal;
import dev.clavis.protocol.CallMeters;
import dev.clavis.protocol.Dispatcher;
import dev.clavis.protocol.GrpcFront;
import dev.clavis.protocol.Handlers;
import dev.clavis.protocol.JsonCodec;
import dev.clavis.protocol.MethodTable;
import dev.clavis.protocol.PathTemplate;
import dev.clavis.protocol.RestFront;
import dev.clavis.protocol.StatusCodeHandlers;
import dev.clavis.search.SearchHandlers;
import dev.clavis.search.SearchService;
import dev.clavis.users.LoginEndpoint;
import dev.clavis.users.SignInThrottle;
import dev.clavis.users.UserHandlers;
import dev.clavis.users.UserService;
import dev.clavis.workflows.WorkflowHandlers;
import dev.clavis.workflows.WorkflowService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: config, then database, stores and services, then the two front doors.
 * {@link #create} builds everything unstarted, so a test can start a whole server on port 0
 * and the command line can use the services without serving.
 */
public final class Clavis implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Clavis.class);
    /** Limits on downloading inputs given by URL. */
    private static final long FETCH_MAX_BYTES = 20L * 1024 * 1024;
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);
    private static final int FETCH_MAX_REDIRECTS = 3;
    /** How often idle job workers look for work added on other nodes or left by a dead one. */
    private static final Duration JOB_POLL = Duration.ofSeconds(1);
    /** On shutdown, how long running jobs may take to finish before they are handed back. */
    private static final Duration JOB_STOP_WAIT = Duration.ofSeconds(5);

    private final Services core;
    private final JobWorkers jobs;
    private final Javalin http;
    private final Server grpc;
    private final ScheduledExecutorService background;
    private final ServerMetrics metrics;
    private final Readiness readiness;
    private final CredentialUsage usage;
    /** Null without --redis-url. */
    private final RedisRateLimiter sharedLimits;
    private boolean started;
    private boolean closed;

    private Clavis(Services core, JobWorkers jobs, Javalin http, Server grpc, ServerMetrics metrics, Readiness readiness,
                   CredentialUsage usage, RedisRateLimiter sharedLimits) {
        this.usage = usage;
        this.sharedLimits = sharedLimits;
        this.metrics = metrics;
        this.readiness = readiness;
        this.core = core;
        this.jobs = jobs;
        this.http = http;
        this.grpc = grpc;
        this.background = Executors.newSingleThreadScheduledExecutor(daemon("clavis-background"));
    }

    public static Clavis create(Config config) {
        return create(config, Clock.systemUTC());
    }

    /** With a clock of the caller's: tests move time to expire keys and sessions. */
    public static Clavis create(Config config, Clock clock) {
        Services core = Services.open(config, clock);
        try {
            return create(core);
        } catch (RuntimeException e) {
            core.close();
            throw e;
        }
    }

    private static Clavis create(Services core) {
        Config config = core.config;
        Clock clock = core.clock;
        Database database = core.database;
        MethodTable methods = core.methods;
        ScopeCatalog scopes = core.scopes;
        JsonCodec json = new JsonCodec(methods);
        Revocations revocations = core.revocations;
        AppService apps = core.apps;
        KeyService keys = core.keys;
        UserService users = core.users;
        Authenticator authenticator = core.authenticator;
        ConceptService concepts = new ConceptService(database.jdbi(), clock);
        Images images = new Images(config.maxImagePixels());
        JobQueue queue = new JobQueue(config.jobQueueLimit(), clock);
        JobWorkers jobs = new JobWorkers(database.jdbi(), !database.isSqlite(), nodeName(), config.jobLease(), JOB_POLL, clock);
        queue.onAdded(jobs::wake);
        jobs.register(Job.DOWNLOAD, 2, new InputDownloads(database.jdbi(), new UrlFetcher(FETCH_MAX_BYTES, FETCH_TIMEOUT,
                FETCH_MAX_REDIRECTS, config.fetchAllowHosts()), images, clock));
        InputService inputs = new InputService(database.jdbi(), concepts, images, queue, clock);
        MediaLoader media = new MediaLoader(images, new UrlFetcher(FETCH_MAX_BYTES, FETCH_TIMEOUT, FETCH_MAX_REDIRECTS,
                config.fetchAllowHosts()));
        ImageEmbedder imageEmbedder = new ImageEmbedder();
        TextEmbedder textEmbedder = new TextEmbedder();
        Training training = new Training(database.jdbi(), media, imageEmbedder, textEmbedder, queue, revocations, clock);
        jobs.register(Job.TRAINING, 1, training);
        ModelService models = new ModelService(database.jdbi(), concepts, revocations, clock);
        revocations.subscribe(models::revoke);
        ModelHandlers modelHandlers = new ModelHandlers(models, training, concepts);
        Predictor predictor = new Predictor(imageEmbedder, textEmbedder);
        Outputs outputs = new Outputs(media, concepts);
        PredictHandlers predictHandlers = new PredictHandlers(models, predictor, outputs, modelHandlers, clock);
        SearchHandlers searchHandlers = new SearchHandlers(new SearchService(database.jdbi(), inputs, models, predictor, media,
                imageEmbedder, textEmbedder), outputs);
        WorkflowHandlers workflowHandlers = new WorkflowHandlers(new WorkflowService(database.jdbi(), models, clock), models,
                modelHandlers, predictor, outputs, clock);

        KeyHandlers keyHandlers = new KeyHandlers(keys);
        Handlers handlers = register(new AppHandlers(apps), keyHandlers, new ScopeHandlers(scopes, methods, apps),
                new UserHandlers(users), new StatusCodeHandlers(), new ConceptHandlers(concepts), new InputHandlers(inputs),
                new AnnotationHandlers(inputs),
                modelHandlers, predictHandlers, workflowHandlers, searchHandlers);
        ServerMetrics metrics = new ServerMetrics();
        meter(metrics.registry(), core, models, jobs);
        RedisRateLimiter sharedLimits = config.redisUrl() == null ? null : new RedisRateLimiter(config.redisUrl(), config.rateLimit());
        if (sharedLimits != null) sharedLimits.bindTo(metrics.registry());
        Readiness readiness = new Readiness(database, core.feed, sharedLimits);
        Dispatcher dispatcher = new Dispatcher(handlers, authenticator, new AccessControl(scopes, apps::find),
                sharedLimits != null ? sharedLimits : RateLimiter.local(config.rateLimit()), new CallMeters(metrics.registry()));

        CredentialUsage usage = new CredentialUsage(database.jdbi(), clock);
        dispatcher.countCallsWith(usage::called);
        ClientAddresses clients = new ClientAddresses(config.trustedProxies());
        RestFront rest = new RestFront(methods, dispatcher, json, config.maxBodyBytes(), config.corsOrigins(), clients);
        // Routes of Clavis's own, beside Clarifai's (the README lists them).
        rest.own(new RestFront.OwnRoute("POST", PathTemplate.parse("/v2/users/{user_app_id.user_id}/keys/{key_id}/roll"),
                "RollKey", methods.method("PatchKeys").orElseThrow(), keyHandlers::rollKey));
        rest.own(new RestFront.OwnRoute("POST", PathTemplate.parse("/v2/users/{user_app_id.user_id}/keys/{key_id}/allowed_cidrs"),
                "AllowKeyNetworks", methods.method("PatchKeys").orElseThrow(), keyHandlers::allowNetworks));
        rest.own(new RestFront.OwnRoute("POST", PathTemplate.parse("/v2/users/{user_app_id.user_id}/keys/{key_id}/rate_limit"),
                "LimitKeyRate", methods.method("PatchKeys").orElseThrow(), keyHandlers::limitRate));
        // Portal and API alike: growing delays per account and address (see SignInThrottle).
        SignInThrottle signIns = new SignInThrottle(clock);
        LoginEndpoint login = new LoginEndpoint(users, keys, rest, dispatcher, signIns, clients);
        AuditSearchEndpoint auditSearch = new AuditSearchEndpoint(core.audit, authenticator, dispatcher, rest, clients);
        UsageEndpoint keyUsage = new UsageEndpoint(keys, usage, authenticator, dispatcher, clients, clock);
        LeakReportEndpoint leaks = new LeakReportEndpoint(keys, config.leakReportKeys() == null ? ScannerKeys.none()
                : ScannerKeys.load(config.leakReportKeys()), dispatcher, clients);
        Portal portal = new Portal(users, apps, keys, scopes, scopes.neededBy(handlers.methodNames()), authenticator, signIns,
                config.sessionLifetime(), config.portalSignup(), clients, clock, core.audit, usage);
        // Every route is known before the server starts (Javalin 7 takes them with its config).
        Javalin http = Javalin.create(javalin -> {
            rest.configure(javalin, config.shutdownGrace());
            javalin.routes.post("/v2/login", login::handle);
            javalin.routes.post("/v2/secret_scanning/reports", leaks::handle);
            javalin.routes.post("/v2/users/{user_id}/audit_log/searches", auditSearch::handle);
            javalin.routes.get("/v2/users/{user_id}/keys/{key_id}/usage", keyUsage::handle);
            // GET /livez (liveness: the process answers, nothing else is asked, so a slow database
            // never gets a live node restarted) is answered by the API door, before Javalin.
            javalin.routes.get("/readyz", ctx -> {
                Readiness.Report report = readiness.check();
                RestFront.write(ctx, report.ready() ? 200 : 503, report.json());
            });
            javalin.routes.get("/metrics", ctx -> {
                ctx.res().setStatus(200);
                ctx.res().setContentType("text/plain; version=0.0.4; charset=utf-8");
                ctx.res().getOutputStream().write(metrics.scrape().getBytes(StandardCharsets.UTF_8));
            });
            // Kept for existing probes: the database answers (GET /readyz says more).
            javalin.routes.get("/healthz", ctx -> {
                boolean up = database.healthy();
                RestFront.write(ctx, up ? 200 : 503, up ? "{\"status\":\"ok\"}" : "{\"status\":\"database unavailable\"}");
            });
            rest.install(javalin.routes);
            portal.install(javalin.routes);
        });

        Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.grpcPort()), grpcCredentials(config))
                .addService(GrpcFront.service(methods, dispatcher, config.maxBodyBytes()))
                .addService(readiness.healthService())
                .fallbackHandlerRegistry(GrpcFront.unknownMethods(dispatcher))
                .intercept(GrpcFront.arrivals(clients))
                // The door answers messages over max-body-bytes with 11006 itself; grpc-java's own
                // limit, which ends a call with RESOURCE_EXHAUSTED, stands above it as a last guard.
                .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, config.maxBodyBytes() * 4L))
                .build();
        return new Clavis(core, jobs, http, grpc, metrics, readiness, usage, sharedLimits);
    }

    /** Registers what each part counts; the parts own their numbers, the registry only reads them. */
    private static void meter(MeterRegistry registry, Services core, ModelService models, JobWorkers jobs) {
        core.database.bindTo(registry);
        core.feed.bindTo(registry);
        core.authenticator.bindTo(registry);
        core.apps.bindTo(registry);
        models.bindTo(registry);
        jobs.bindTo(registry);
    }

    /** Every implemented RPC, in one readable place. */
    private static Handlers register(AppHandlers apps, KeyHandlers keys, ScopeHandlers scopes, UserHandlers users,
                                     StatusCodeHandlers statusCodes, ConceptHandlers concepts, InputHandlers inputs,
                                     AnnotationHandlers annotations,
                                     ModelHandlers models, PredictHandlers predict, WorkflowHandlers workflows,
                                     SearchHandlers search) {
        return new Handlers()
                .on(V2Grpc.getPostAppsMethod(), apps::postApps)
                .on(V2Grpc.getListAppsMethod(), apps::listApps)
                .on(V2Grpc.getGetAppMethod(), apps::getApp)
                .on(V2Grpc.getPatchAppMethod(), apps::patchApp)
                .on(V2Grpc.getPatchAppsMethod(), apps::patchApps)
                .on(V2Grpc.getDeleteAppMethod(), apps::deleteApp)
                .on(V2Grpc.getPostKeysMethod(), keys::postKeys)
                .on(V2Grpc.getListKeysMethod(), keys::listKeys)
                .on(V2Grpc.getListAppKeysMethod(), keys::listAppKeys)
                .on(V2Grpc.getGetKeyMethod(), keys::getKey)
                .on(V2Grpc.getPatchKeysMethod(), keys::patchKeys)
                .on(V2Grpc.getDeleteKeyMethod(), keys::deleteKey)
                .on(V2Grpc.getMyScopesMethod(), scopes::myScopes)
                .on(V2Grpc.getMyScopesUserMethod(), scopes::myScopesUser)
                .on(V2Grpc.getMyScopesRootMethod(), scopes::myScopesRoot)
                .on(V2Grpc.getListScopesMethod(), scopes::listScopes)
                .on(V2Grpc.getGetUserMethod(), users::getUser)
                .on(V2Grpc.getListStatusCodesMethod(), statusCodes::listStatusCodes)
                .on(V2Grpc.getGetStatusCodeMethod(), statusCodes::getStatusCode)
                .on(V2Grpc.getPostConceptsMethod(), concepts::postConcepts)
                .on(V2Grpc.getListConceptsMethod(), concepts::listConcepts)
                .on(V2Grpc.getGetConceptMethod(), concepts::getConcept)
                .on(V2Grpc.getPatchConceptsMethod(), concepts::patchConcepts)
                .on(V2Grpc.getPostConceptsSearchesMethod(), concepts::postConceptsSearches)
                .on(V2Grpc.getGetConceptCountsMethod(), concepts::getConceptCounts)
                .on(V2Grpc.getPostInputsMethod(), inputs::postInputs)
                .on(V2Grpc.getListInputsMethod(), inputs::listInputs)
                .on(V2Grpc.getGetInputMethod(), inputs::getInput)
                .on(V2Grpc.getPatchInputsMethod(), inputs::patchInputs)
                .on(V2Grpc.getDeleteInputMethod(), inputs::deleteInput)
                .on(V2Grpc.getDeleteInputsMethod(), inputs::deleteInputs)
                .on(V2Grpc.getGetInputCountMethod(), inputs::getInputCount)
                .on(V2Grpc.getPostAnnotationsMethod(), annotations::postAnnotations)
                .on(V2Grpc.getListAnnotationsMethod(), annotations::listAnnotations)
                .on(V2Grpc.getGetAnnotationMethod(), annotations::getAnnotation)
                .on(V2Grpc.getPatchAnnotationsMethod(), annotations::patchAnnotations)
                .on(V2Grpc.getDeleteAnnotationMethod(), annotations::deleteAnnotation)
                .on(V2Grpc.getDeleteAnnotationsMethod(), annotations::deleteAnnotations)
                .on(V2Grpc.getPostModelsMethod(), models::postModels)
                .on(V2Grpc.getListModelsMethod(), models::listModels)
                .on(V2Grpc.getPostModelsSearchesMethod(), models::postModelsSearches)
                .on(V2Grpc.getGetModelMethod(), models::getModel)
                .on(V2Grpc.getGetModelOutputInfoMethod(), models::getModelOutputInfo)
                .on(V2Grpc.getPatchModelsMethod(), models::patchModels)
                .on(V2Grpc.getDeleteModelMethod(), models::deleteModel)
                .on(V2Grpc.getDeleteModelsMethod(), models::deleteModels)
                .on(V2Grpc.getPostModelVersionsMethod(), models::postModelVersions)
                .on(V2Grpc.getListModelVersionsMethod(), models::listModelVersions)
                .on(V2Grpc.getGetModelVersionMethod(), models::getModelVersion)
                .on(V2Grpc.getDeleteModelVersionMethod(), models::deleteModelVersion)
                .on(V2Grpc.getListModelConceptsMethod(), models::listModelConcepts)
                .on(V2Grpc.getListModelTypesMethod(), models::listModelTypes)
                .on(V2Grpc.getGetModelTypeMethod(), models::getModelType)
                .on(V2Grpc.getPostModelOutputsMethod(), predict::postModelOutputs)
                .on(V2Grpc.getPostWorkflowsMethod(), workflows::postWorkflows)
                .on(V2Grpc.getListWorkflowsMethod(), workflows::listWorkflows)
                .on(V2Grpc.getGetWorkflowMethod(), workflows::getWorkflow)
                .on(V2Grpc.getPatchWorkflowsMethod(), workflows::patchWorkflows)
                .on(V2Grpc.getDeleteWorkflowMethod(), workflows::deleteWorkflow)
                .on(V2Grpc.getDeleteWorkflowsMethod(), workflows::deleteWorkflows)
                .on(V2Grpc.getPostWorkflowResultsMethod(), workflows::postWorkflowResults)
                .on(V2Grpc.getPostInputsSearchesMethod(), search::postInputsSearches)
                .on(V2Grpc.getPostSearchesMethod(), search::postSearches);
    }

    /**
     * This node's name in the job table: host and process, which operators recognise, and a
     * random part, so a restarted process with a reused pid is still another node.
     */
    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + Secrets.newId().substring(0, 6);
    }

    /** Threads that never keep the JVM alive on their own. */
    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static ServerCredentials grpcCredentials(Config config) {
        if (!config.grpcTls()) return InsecureServerCredentials.create();
        try {
            return TlsServerCredentials.create(config.grpcTlsCert().toFile(), config.grpcTlsKey().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("grpc-tls-cert / grpc-tls-key unreadable", e);
        }
    }

    public Clavis start() {
        core.revocations.start();
        http.start(core.config.host(), core.config.httpPort());
        try {
            grpc.start();
        } catch (IOException e) {
            http.stop();
            throw new UncheckedIOException("gRPC port " + core.config.grpcPort() + " unavailable", e);
        }
        background.scheduleWithFixedDelay(this::flushLastUsed, 5, 5, TimeUnit.SECONDS);
        background.scheduleWithFixedDelay(readiness::publish, 0, 1, TimeUnit.SECONDS);
        background.scheduleWithFixedDelay(this::pruneAuditLog, 1, 60, TimeUnit.MINUTES);
        jobs.start();
        started = true;
        log.info("Clavis serving REST on port {} and gRPC ({}) on port {}; {}", httpPort(),
                core.config.grpcTls() ? "TLS" : "plaintext", grpcPort(), core.config);
        return this;
    }

    public int httpPort() {
        return http.port();
    }

    public int grpcPort() {
        return grpc.getPort();
    }

    /** The database the services use; the command line and tests reach it here. */
    public Database database() {
        return core.database;
    }

    public UserService users() {
        return core.users;
    }

    public AppService apps() {
        return core.apps;
    }

    public KeyService keys() {
        return core.keys;
    }

    /** Writes every usage count gathered so far now, not at the next flush (tests read them back at once). */
    public void flushUsage() {
        usage.flushAll();
    }

    /** Writes the last-used times and usage counts gathered since the previous flush. */
    private void flushLastUsed() {
        try {
            core.authenticator.flushLastUsed((id, at) -> core.keyStore.touch(id, at.toEpochMilli()));
            usage.flush();
        } catch (RuntimeException e) {
            log.warn("could not record when and how much keys were used", e);
        }
    }

    /** Drops audit entries past the retention (--audit-retention), and usage counts past theirs. */
    private void pruneAuditLog() {
        try {
            int pruned = core.audit.prune(core.clock.instant().minus(core.config.auditRetention()));
            if (pruned > 0) log.info("pruned {} audit log entries older than {}", pruned, core.config.auditRetention());
            usage.prune();
        } catch (RuntimeException e) {
            log.warn("could not prune the audit log", e);
        }
    }

    /**
     * Stops in the order that loses nothing: both doors stop accepting, calls in flight finish
     * (up to the shutdown grace), and only then the job workers stop (jobs still running are handed
     * back to the queue, for another node or the next start), last-used times are written and the
     * database closed.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        readiness.stopping();
        if (started) stopDoors();
        background.shutdownNow();
        // Jobs still running then go back to the queue for another node (or the next start).
        jobs.close(JOB_STOP_WAIT);
        if (started) {
            flushLastUsed();
            try {
                usage.flushAll();
            } catch (RuntimeException e) {
                log.warn("could not record the last usage counts", e);
            }
        }
        core.close();
        if (sharedLimits != null) sharedLimits.close();
        metrics.close();
    }

    private void stopDoors() {
        log.info("stopping: taking no new calls, giving those in flight up to {}", core.config.shutdownGrace());
        long deadline = System.nanoTime() + core.config.shutdownGrace().toNanos();
        // gRPC first, as it only stops taking calls here; Jetty's stop then closes its connectors
        // and waits for the requests it is serving, while gRPC's finish alongside.
        grpc.shutdown();
        http.stop();
        try {
            if (!grpc.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                log.warn("gRPC calls still running after the shutdown grace of {}; cancelling them", core.config.shutdownGrace());
                grpc.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            grpc.shutdownNow();
        }
    }
}
