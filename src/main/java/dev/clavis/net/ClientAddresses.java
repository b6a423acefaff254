package dev.clavis.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which client a request came from. The connection's peer, unless the peer is a proxy the
 * operator trusts ({@code --trusted-proxies}): then {@code X-Forwarded-For}, read from the right,
 * past every trusted hop, to the first address a trusted proxy vouches for. Anyone can write that
 * header, so from an untrusted peer it is ignored; a value that is not an IP address ends the walk.
 */
public final class ClientAddresses {
    private final List<Cidr> trusted;

    public ClientAddresses(List<Cidr> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /**
     * @param peer         the address the connection came from
     * @param forwardedFor every value of {@code X-Forwarded-For}, in the order received
     */
    public String of(String peer, List<String> forwardedFor) {
        return of(peer, () -> forwardedFor);
    }

    /** The same, reading the header only when the peer is a trusted proxy: most requests need not. */
    public String of(String peer, Supplier<List<String>> forwardedFor) {
        if (!trustedProxy(peer)) return peer;
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor.get()) {
            for (String hop : value.split(",")) hops.add(hop.strip());
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = Cidr.address(hops.get(i));
            if (hop.isEmpty()) break;
            client = hop.get().getHostAddress();
            if (!trusted(hop.get())) break;
        }
        return client;
    }

    /** Whether headers a proxy sets (X-Forwarded-For, X-Forwarded-Proto) are to be believed from this peer. */
    public boolean trustedProxy(String peer) {
        return !trusted.isEmpty() && Cidr.address(peer).map(this::trusted).orElse(false);
    }

    private boolean trusted(InetAddress address) {
        for (Cidr range : trusted) {
            if (range.contains(address)) return true;
        }
        return false;
    }
}
