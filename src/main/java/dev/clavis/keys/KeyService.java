package dev.clavis.keys;

import dev.clavis.apps.AppStore;
import dev.clavis.audit.AuditTrail;
import dev.clavis.auth.Caller;
import dev.clavis.net.Cidr;
import dev.clavis.auth.Credential;
import dev.clavis.auth.CredentialKind;
import dev.clavis.auth.Revocation;
import dev.clavis.auth.Revocations;
import dev.clavis.auth.ScopeCatalog;
import dev.clavis.auth.Secret;
import dev.clavis.auth.SecretVault;
import dev.clavis.auth.Secrets;
import dev.clavis.protocol.ApiException;
import dev.clavis.protocol.MethodTable;
import dev.clavis.protocol.Page;
import dev.clavis.protocol.RpcMethod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The rules for credentials: what a new key may hold, who may see or change it, and that every
 * change is logged as a revocation in its own transaction, so that it reaches every node's
 * authentication cache (this node's before the call returns).
 */
public final class KeyService {
    public static final int MAX_KEYS_PER_REQUEST = 128;
    public static final int MAX_DESCRIPTION = 1024;

    private final Jdbi jdbi;
    private final ScopeCatalog scopes;
    private final Set<String> endpoints;
    private final Revocations revocations;
    private final Clock clock;
    private final Duration sessionLifetime;
    private final CredentialAudit audit;
    private final SecretVault vault;

    /** A key to create. {@code appUserId}/{@code appId} are empty for PATs. */
    public record KeyDraft(CredentialKind kind, String description, List<String> scopes, List<String> endpoints,
                           String appUserId, String appId, Instant expiresAt) {}

    /** A change to a key: null or empty fields stay as they are ("overwrite" of what is given). */
    /**
     * A change to a key; null (or empty lists) leaves that part as it is. A description of ""
     * clears it (the portal's form), while the API, whose messages cannot tell an empty field from
     * an absent one, passes null for an empty description.
     */
    public record KeyChange(String id, String description, List<String> scopes, List<String> endpoints,
                            Instant expiresAt) {}

    /** A new credential and its secret, which exists only until this is returned to its owner. */
    public record Issued(Credential credential, Secret secret) {}

    public KeyService(Jdbi jdbi, ScopeCatalog scopes, MethodTable methods, Revocations revocations, Clock clock,
                      Duration sessionLifetime, SecretVault vault) {
        this.vault = vault;
        this.jdbi = jdbi;
        this.scopes = scopes;
        this.endpoints = methods.methods().stream().map(RpcMethod::endpoint).collect(Collectors.toUnmodifiableSet());
        this.revocations = revocations;
        this.clock = clock;
        this.sessionLifetime = sessionLifetime;
        this.audit = new CredentialAudit(new AuditTrail(jdbi, clock));
    }

    /**
     * Creates keys for {@code ownerId}, all or none. {@code creator} is the credential asking
     * (null for the command line, which acts as the owner): a key can never get more than its
     * creator holds.
     */
    public List<Issued> create(Caller creator, String ownerId, List<KeyDraft> drafts) {
        if (drafts.isEmpty() || drafts.size() > MAX_KEYS_PER_REQUEST) {
            throw ApiException.badRequest("Send 1 to " + MAX_KEYS_PER_REQUEST + " keys per request, not " + drafts.size() + ".");
        }
        List<Prepared> prepared = new ArrayList<>();
        for (KeyDraft draft : drafts) prepared.add(prepare(creator, ownerId, draft));
        return jdbi.inTransaction(h -> {
            AppStore apps = h.attach(AppStore.class);
            List<Issued> issued = new ArrayList<>();
            for (Prepared p : prepared) {
                if (p.kind() == CredentialKind.APP_KEY && apps.find(ownerId, p.appId()).isEmpty()) {
                    throw ApiException.notFound("App '" + p.appId() + "' not found.");
                }
                issued.add(insert(h, p));
            }
            return issued;
        });
    }

    /** The {@code All} key every new app gets, inside the app's own transaction. */
    public Issued createAppKey(Handle h, String userId, String appId) {
        return insert(h, new Prepared(CredentialKind.APP_KEY, userId, appId, "Created with the app",
                List.of(ScopeCatalog.ALL), List.of(), null));
    }

    /** A session for a user who has just signed in. */
    public Issued createSession(String userId) {
        Instant expires = clock.instant().plus(sessionLifetime);
        return jdbi.inTransaction(h -> {
            h.attach(KeyStore.class).deleteExpiredSessions(clock.millis());
            return insert(h, new Prepared(CredentialKind.SESSION, userId, null, "Session", List.of(ScopeCatalog.ALL),
                    List.of(), expires));
        });
    }

    /** Whether secrets are kept sealed, so that they can be revealed again. */
    public boolean recoverable() {
        return vault.enabled();
    }

    /**
     * A key's secret again, for its owner's "copy": only with the vault open, and every reveal is
     * recorded (who, from where, when; never the secret).
     */
    public Secret reveal(String userId, String idOrSecret, String address) {
        return jdbi.inTransaction(h -> {
            KeyStore store = h.attach(KeyStore.class);
            Credential key = find(store, userId, idOrSecret);
            String sealed = store.sealed(key.publicId()).filter(s -> vault.enabled())
                    .orElseThrow(() -> ApiException.badRequest("This key's secret is not kept: it was shown once, when created."));
            store.auditReveal(key.publicId(), userId, address, clock.millis());
            audit.revealed(h, key);
            return vault.open(key.publicId(), sealed);
        });
    }

    /** How often a key's secret has been revealed. */
    public int revealCount(String publicId) {
        return jdbi.onDemand(KeyStore.class).revealCount(publicId);
    }

    /** Ends a session (sign-out): its token stops working at once, here and on other nodes. */
    public void endSession(String sessionSecret) {
        jdbi.useTransaction(h -> {
            KeyStore store = h.attach(KeyStore.class);
            Optional<Credential> session = store.findByHash(Secrets.hash(sessionSecret)).filter(c -> c.kind() == CredentialKind.SESSION);
            session.ifPresent(c -> {
                store.delete(c.publicId());
                revocations.record(h, new Revocation.Key(c.publicId()));
                audit.deleted(h, c);
            });
        });
    }

    public List<Credential> list(String userId, Optional<CredentialKind> kind, boolean notExpired, Page page) {
        return jdbi.onDemand(KeyStore.class).list(userId, kind.map(Enum::name).orElse(""),
                notExpired ? clock.millis() : 0, page.perPage(), page.offset());
    }

    public List<Credential> listForApp(String userId, String appId, Page page) {
        return jdbi.onDemand(KeyStore.class).listForApp(userId, appId, page.perPage(), page.offset());
    }

    /** A user's key by public id or by its secret (DESIGN §2: every key_id accepts either). */
    public Credential get(String userId, String idOrSecret) {
        return find(jdbi.onDemand(KeyStore.class), userId, idOrSecret);
    }

    public List<Credential> patch(Caller editor, String userId, String action, List<KeyChange> changes) {
        if (!action.isEmpty() && !action.equals("overwrite")) {
            throw ApiException.badRequest("Only action 'overwrite' is supported for keys, not '" + action + "'.");
        }
        if (changes.isEmpty() || changes.size() > MAX_KEYS_PER_REQUEST) {
            throw ApiException.badRequest("Send 1 to " + MAX_KEYS_PER_REQUEST + " keys per request, not " + changes.size() + ".");
        }
        return jdbi.inTransaction(h -> {
            KeyStore store = h.attach(KeyStore.class);
            List<Credential> out = new ArrayList<>();
            for (KeyChange change : changes) {
                Credential current = find(store, userId, change.id());
                String description = change.description() == null ? current.description() : description(change.description());
                List<String> newScopes = current.scopes();
                if (change.scopes() != null && !change.scopes().isEmpty()) {
                    newScopes = scopes.expand(change.scopes());
                }
                List<String> newEndpoints = current.endpoints();
                if (change.endpoints() != null && !change.endpoints().isEmpty()) {
                    newEndpoints = endpoints(change.endpoints());
                }
                Instant expires = change.expiresAt() == null ? current.expiresAt()
                        : withinLifeOf(editor, future(change.expiresAt()));
                requireGrantable(editor, newScopes, newEndpoints);
                store.update(current.publicId(), description, KeyStore.join(newScopes), KeyStore.join(newEndpoints),
                        expires == null ? null : expires.toEpochMilli());
                revocations.record(h, new Revocation.Key(current.publicId()));
                Credential changed = new Credential(current.publicId(), current.kind(), current.userId(), current.appId(),
                        description, newScopes, newEndpoints, current.displayPrefix(), current.createdAt(), expires,
                        current.lastUsedAt(), current.allowedNetworks(), current.rateLimit());
                audit.updated(h, current, changed);
                out.add(changed);
            }
            return out;
        });
    }

    public void delete(String userId, String idOrSecret) {
        jdbi.useTransaction(h -> {
            KeyStore store = h.attach(KeyStore.class);
            Credential key = find(store, userId, idOrSecret);
            store.delete(key.publicId());
            revocations.record(h, new Revocation.Key(key.publicId()));
            audit.deleted(h, key);
        });
    }

    /** An audit operation's name for a credential of this kind: {@code API_KEY_…}, {@code PAT_…}, {@code SESSION_…}. */
    public static String auditOperation(CredentialKind kind, String what) {
        return CredentialAudit.operation(kind, what);
    }

    /** The longest a rolled key's previous secret may keep working. */
    public static final Duration MAX_ROLL_OVERLAP = Duration.ofDays(7);

    /**
     * The same key (id, scopes, description, app, expiry) with a new secret, returned this once.
     * The previous secret keeps working for {@code overlap} (zero: it stops at once), so that
     * clients can move over without an outage; a key rolled again meanwhile keeps only its latest
     * previous secret. Every node drops both from its caches, as for DeleteKey.
     */
    public Issued roll(String userId, String idOrSecret, Duration overlap) {
        if (overlap.isNegative() || overlap.compareTo(MAX_ROLL_OVERLAP) > 0) {
            throw ApiException.badRequest("expire_previous_in_seconds: 0 (at once) to " + MAX_ROLL_OVERLAP.toSeconds()
                    + " (7 days), not " + overlap.toSeconds() + ".");
        }
        return jdbi.inTransaction(h -> {
            KeyStore store = h.attach(KeyStore.class);
            Credential key = find(store, userId, idOrSecret);
            Secret secret = Secrets.generate(key.kind());
            boolean overlapping = !overlap.isZero();
            store.roll(key.publicId(), secret.hash(), secret.displayPrefix(), overlapping ? store.secretHash(key.publicId()) : null,
                    overlapping ? clock.millis() + overlap.toMillis() : null);
            vault.seal(key.publicId(), secret).ifPresent(sealed -> store.seal(key.publicId(), sealed));
            revocations.record(h, new Revocation.Key(key.publicId()));
            Credential rolled = new Credential(key.publicId(), key.kind(), key.userId(), key.appId(), key.description(),
                    key.scopes(), key.endpoints(), secret.displayPrefix(), key.createdAt(), key.expiresAt(), key.lastUsedAt(),
                    key.allowedNetworks(), key.rateLimit());
            audit.rolled(h, rolled, overlap);
            return new Issued(rolled, secret);
        });
    }

    /** The highest rate a key may be given of its own. */
    public static final int MAX_RATE_LIMIT = 1_000_000;

    /**
     * Gives a key or PAT its own requests per second (0: unlimited), or with null the server's
     * default again. Every node applies it on the next request, as for PatchKeys.
     */
    public Credential limitRate(String userId, String idOrSecret, Integer perSecond) {
        if (perSecond != null && (perSecond < 0 || perSecond > MAX_RATE_LIMIT)) {
            throw ApiException.badRequest("requests_per_second: 0 (unlimited) to " + MAX_RATE_LIMIT + ", or null for the server's default.");
        }
        return jdbi.inTransaction(h -> {
            KeyStore store = h.attach(KeyStore.class);
            Credential key = find(store, userId, idOrSecret);
            store.limitRate(key.publicId(), perSecond);
            revocations.record(h, new Revocation.Key(key.publicId()));
            Credential limited = key.withRateLimit(perSecond);
            audit.rateLimit(h, key, limited);
            return limited;
        });
    }

    /** The most networks one key may be limited to. */
    public static final int MAX_NETWORKS = 32;

    /**
     * Limits a key or PAT to requests from these networks (IPv4 and IPv6 CIDRs, or single
     * addresses); none lifts the limit. Every node sees it on the next request, as for PatchKeys.
     */
    public Credential allowNetworks(String userId, String idOrSecret, List<String> networks) {
        if (networks.size() > MAX_NETWORKS) throw ApiException.badRequest("allowed_cidrs: at most " + MAX_NETWORKS + " networks.");
        List<Cidr> parsed = new ArrayList<>();
        for (String network : networks) {
            try {
                parsed.add(Cidr.parse(network.strip()));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("allowed_cidrs: " + e.getMessage());
            }
        }
        return jdbi.inTransaction(h -> {
            KeyStore store = h.attach(KeyStore.class);
            Credential key = find(store, userId, idOrSecret);
            store.allowNetworks(key.publicId(), String.join(" ", parsed.stream().map(Cidr::toString).toList()));
            revocations.record(h, new Revocation.Key(key.publicId()));
            Credential limited = key.withAllowedNetworks(parsed);
            audit.networks(h, key, limited);
            return limited;
        });
    }

    /** App keys and PATs of every user, or of one user or app: the administrator's listing. */
    public List<Credential> listEvery(Optional<String> userId, Optional<String> appId) {
        return jdbi.onDemand(KeyStore.class).listEvery(userId.orElse(""), appId.orElse(""));
    }

    /**
     * Deletes a key or PAT by its public id, whoever owns it (the administrator's revoke, a leak
     * found): like DeleteKey, with {@code why} in the audit line.
     */
    public Credential revoke(String publicId, String why) {
        return jdbi.inTransaction(h -> revoke(h, h.attach(KeyStore.class).find(publicId)
                .filter(k -> k.kind() != CredentialKind.SESSION)
                .orElseThrow(() -> ApiException.notFound("Key '" + publicId + "' not found.")), why));
    }

    /** The credential this secret is, whatever its kind, sessions included: for reports of leaked secrets. */
    public Optional<Credential> bySecret(String secret) {
        return jdbi.onDemand(KeyStore.class).findByHash(Secrets.hash(secret));
    }

    /** Ends the credential this secret is, whatever its kind, on every node; empty if it is none. */
    public Optional<Credential> revokeSecret(String secret, String why) {
        return jdbi.inTransaction(h -> h.attach(KeyStore.class).findByHash(Secrets.hash(secret)).map(c -> revoke(h, c, why)));
    }

    private Credential revoke(Handle h, Credential c, String why) {
        h.attach(KeyStore.class).delete(c.publicId());
        revocations.record(h, new Revocation.Key(c.publicId()));
        audit.revoked(h, List.of(c), why);
        return c;
    }

    /**
     * Inside a change to a user (disabled, password reset, deleted): their credentials of these
     * kinds stop working on every node once it commits; {@code delete} removes them too.
     */
    public void revokeAllOf(Handle h, String userId, Set<CredentialKind> kinds, boolean delete, String why) {
        KeyStore store = h.attach(KeyStore.class);
        List<Credential> revoked = store.listAllOf(userId).stream().filter(c -> kinds.contains(c.kind())).toList();
        for (Credential c : revoked) {
            if (delete) store.delete(c.publicId());
            revocations.record(h, new Revocation.Key(c.publicId()));
        }
        audit.revoked(h, revoked, why);
    }

    private record Prepared(CredentialKind kind, String userId, String appId, String description, List<String> scopes,
                            List<String> endpoints, Instant expiresAt) {}

    private Prepared prepare(Caller creator, String ownerId, KeyDraft draft) {
        String description = description(draft.description());
        List<String> requested = draft.scopes() == null ? List.of() : draft.scopes();
        String appId = null;
        if (draft.kind() == CredentialKind.PAT) {
            if (!blank(draft.appId())) throw ApiException.badRequest("A personal access token is not bound to an app: leave 'apps' empty.");
            if (requested.isEmpty()) requested = List.of(ScopeCatalog.ALL);
        } else if (draft.kind() == CredentialKind.APP_KEY) {
            if (blank(draft.appId())) throw ApiException.badRequest("An app key needs exactly one app in 'apps'.");
            String appUser = draft.appUserId();
            if (!blank(appUser) && !appUser.equals("me") && !appUser.equals(ownerId)) {
                throw ApiException.notFound("App '" + draft.appId() + "' not found.");
            }
            if (requested.isEmpty()) throw ApiException.badRequest("Choose at least one scope (or 'All').");
            appId = draft.appId();
        } else {
            throw ApiException.badRequest("Keys of this type cannot be created here.");
        }
        List<String> expanded = scopes.expand(requested);
        List<String> limitedTo = endpoints(draft.endpoints() == null ? List.of() : draft.endpoints());
        requireGrantable(creator, expanded, limitedTo);
        Instant expires = withinLifeOf(creator, draft.expiresAt() == null ? null : future(draft.expiresAt()));
        return new Prepared(draft.kind(), ownerId, appId, description, expanded, limitedTo, expires);
    }

    private Issued insert(Handle h, Prepared p) {
        Secret secret = Secrets.generate(p.kind());
        String publicId = Secrets.newId();
        Instant now = clock.instant();
        h.attach(KeyStore.class).insert(publicId, secret.hash(), secret.displayPrefix(), p.kind().name(), p.userId(),
                p.appId(), p.description(), KeyStore.join(p.scopes()), KeyStore.join(p.endpoints()), now.toEpochMilli(),
                p.expiresAt() == null ? null : p.expiresAt().toEpochMilli());
        if (p.kind() != CredentialKind.SESSION) {
            vault.seal(publicId, secret).ifPresent(sealed -> h.attach(KeyStore.class).seal(publicId, sealed));
        }
        Credential credential = new Credential(publicId, p.kind(), p.userId(), p.appId(), p.description(), p.scopes(),
                p.endpoints(), secret.displayPrefix(), Instant.ofEpochMilli(now.toEpochMilli()), p.expiresAt(), null, List.of(), null);
        audit.created(h, credential);
        return new Issued(credential, secret);
    }

    private static Credential find(KeyStore store, String userId, String idOrSecret) {
        if (blank(idOrSecret)) throw ApiException.badRequest("A key id is required.");
        Optional<Credential> key = Secrets.kindOf(idOrSecret).isPresent()
                ? store.findByHash(Secrets.hash(idOrSecret))
                : store.find(idOrSecret);
        return key.filter(k -> k.userId().equals(userId) && k.kind() != CredentialKind.SESSION)
                .orElseThrow(() -> ApiException.notFound("Key not found."));
    }

    /** A PAT with some scopes cannot mint a key with more, nor lift its endpoint limits. */
    private void requireGrantable(Caller creator, List<String> wanted, List<String> wantedEndpoints) {
        if (creator == null) return;
        List<String> missing = scopes.missing(creator.scopes(), wanted.contains(ScopeCatalog.ALL) ? scopes.exposed() : wanted);
        if (!missing.isEmpty()) {
            throw ApiException.insufficientScopes("A key cannot be given scopes its creator lacks: " + String.join(", ", missing) + ".");
        }
        List<String> limits = creator.endpoints();
        if (!limits.isEmpty() && (wantedEndpoints.isEmpty() || !limits.containsAll(wantedEndpoints))) {
            throw ApiException.insufficientScopes("A key cannot reach endpoints its creator cannot.");
        }
    }

    /**
     * A key or PAT that expires cannot give another credential (or itself) a longer life: a key
     * it makes without an expiry expires with it, and a later date is refused. A session (the
     * owner signed in) and the command line are the owner, and give any life.
     */
    private static Instant withinLifeOf(Caller creator, Instant wanted) {
        if (creator == null || creator.is(CredentialKind.SESSION) || creator.credential().expiresAt() == null) return wanted;
        Instant own = creator.credential().expiresAt();
        if (wanted == null) return own;
        if (wanted.isAfter(own)) {
            throw ApiException.badRequest("expires_at cannot be later than " + own + ", when the credential making this "
                    + "request expires.");
        }
        return wanted;
    }

    private List<String> endpoints(List<String> requested) {
        Set<String> out = new LinkedHashSet<>();
        for (String e : requested) {
            String name = e.startsWith("/") ? e : "/" + e;
            if (!endpoints.contains(name)) throw ApiException.badRequest("Unknown endpoint '" + e + "'.");
            out.add(name);
        }
        return List.copyOf(out);
    }

    private Instant future(Instant expiresAt) {
        if (!expiresAt.isAfter(clock.instant())) throw ApiException.badRequest("expires_at must be in the future.");
        return expiresAt;
    }

    private static String description(String text) {
        String d = text == null ? "" : text.strip();
        if (d.length() > MAX_DESCRIPTION) throw ApiException.badRequest("Descriptions have at most " + MAX_DESCRIPTION + " characters.");
        return d;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
