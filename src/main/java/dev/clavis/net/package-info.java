/** Network addresses: CIDR ranges, and which client a request came from behind trusted proxies. */
package dev.clavis.net;
