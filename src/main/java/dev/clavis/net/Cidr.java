package dev.clavis.net;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A range of IPv4 or IPv6 addresses, written {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a
 * single address ({@code 192.0.2.7}, a /32 or /128). Parsed without name lookups: only literal
 * addresses are accepted. An IPv4 address written IPv4-mapped in IPv6 ({@code ::ffff:10.1.2.3})
 * belongs to the IPv4 ranges it would belong to as plain IPv4.
 */
public record Cidr(byte[] network, int prefixLength) {

    public static Cidr parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        if (!InetAddresses.isInetAddress(address)) {
            throw new IllegalArgumentException("not an IP address or CIDR range: " + text);
        }
        byte[] bytes = canonical(InetAddresses.forString(address));
        int bits = bytes.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a prefix length: " + text);
        }
        if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("prefix length out of range: " + text);
        return new Cidr(mask(bytes, prefix), prefix);
    }

    /** An address given as text, if it is a literal IP address (no name lookups). */
    public static Optional<InetAddress> address(String text) {
        if (text == null) return Optional.empty();
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
        return InetAddresses.isInetAddress(t) ? Optional.of(InetAddresses.forString(t)) : Optional.empty();
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = canonical(address);
        return bytes.length == network.length && Arrays.equals(mask(bytes, prefixLength), network);
    }

    private static byte[] canonical(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 16 && isIpv4Mapped(bytes)) return Arrays.copyOfRange(bytes, 12, 16);
        return bytes;
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (keep == 0 ? 0 : 0xff << (8 - keep));
        }
        return out;
    }

    @Override
    public String toString() {
        try {
            return InetAddresses.toAddrString(InetAddress.getByAddress(network)) + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes always make an address", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }
}
