package dev.clavis.protocol;

/**
 * One REST binding of an RPC: verb, path template and body rule ({@code "*"} = the whole request
 * message is the JSON body, {@code ""} = no body, otherwise the name of the field the body fills).
 */
public record HttpBinding(String verb, PathTemplate path, String body) {}
