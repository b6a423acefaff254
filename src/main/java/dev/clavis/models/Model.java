package dev.clavis.models;

import java.time.Instant;
import java.util.List;

/** A model of one app. {@code concepts} are what a classifier predicts. */
public record Model(String userId, String appId, String id, String name, String typeId, String description,
                    List<String> concepts, boolean mutuallyExclusive, Instant createdAt, Instant modifiedAt) {}
