package dev.flags.examples.micronaut;

import dev.flags.core.admin.AuditEntry;
import dev.flags.core.admin.AuditQuery;
import dev.flags.core.admin.DefinitionKind;
import dev.flags.core.admin.FlagAdmin;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * On the Redis store (there is a {@link FlagAdmin} bean, made by {@code RedisFlagAdmin}): {@code
 * GET /audit[?flag=...]}, who changed which flag, when, from what to what and why, read from the
 * audit stream {@code RedisFlagAdmin} writes. Raw edits ({@code redis-cli SET}) appear with the
 * actor {@value AuditEntry#RAW_EDIT_ACTOR}.
 */
@Controller("/audit")
@Requires(beans = FlagAdmin.class)
public class AuditController {

  /** Values longer than this (the 500 beta users) are shortened in the answer. */
  static final int MAX_VALUE_LENGTH = 160;

  private final FlagAdmin admin;

  AuditController(FlagAdmin admin) {
    this.admin = admin;
  }

  @Get
  public List<Change> audit(@QueryValue @Nullable String flag) {
    AuditQuery.Builder query = AuditQuery.builder().limit(AuditQuery.MAX_LIMIT);
    if (flag != null) {
      query.flag(flag);
    }
    List<AuditEntry> entries = new ArrayList<>(admin.audit(query.build()));
    Collections.reverse(entries); // oldest first, as this endpoint has always answered
    return entries.stream()
        .map(
            e ->
                new Change(
                    e.time().toString(),
                    e.actor(),
                    e.kind() == DefinitionKind.SEGMENT ? "segment:" + e.key() : e.key(),
                    e.version(),
                    shorten(e.before()),
                    shorten(e.after()),
                    e.reason()))
        .toList();
  }

  private static String shorten(Optional<String> value) {
    String v = value.orElse("");
    return v.length() <= MAX_VALUE_LENGTH
        ? v
        : v.substring(0, MAX_VALUE_LENGTH) + "… (" + v.length() + " chars)";
  }

  /**
   * One change.
   *
   * @param time when Redis recorded it
   * @param actor who made it
   * @param flag the flag changed
   * @param version the flag's version after it
   * @param before the stored value before ({@code ""} when created)
   * @param after the stored value after ({@code ""} when deleted)
   * @param reason why, as the actor said
   */
  @Serdeable
  public record Change(
      String time,
      String actor,
      String flag,
      long version,
      String before,
      String after,
      String reason) {}
}
