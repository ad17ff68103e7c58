package dev.flags.core.json;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code docs/flag-schema.json}, loaded with a real JSON Schema validator (networknt). */
final class FlagSchema {
  static final Path FILE = Path.of("../docs/flag-schema.json");

  /**
   * Strict like the codec about duplicates, so a document the schema sees is the one the codec
   * reads.
   */
  static final JsonMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final Schema flag;
  private final Schema segment;
  private final Schema flagSet;

  FlagSchema() {
    ObjectNode root = (ObjectNode) MAPPER.readTree(FILE.toFile());
    this.flag = load(root, "#/$defs/flag");
    this.segment = load(root, "#/$defs/segment");
    this.flagSet = load(root, "#/$defs/flagSet");
  }

  private static Schema load(ObjectNode root, String ref) {
    ObjectNode variant = root.deepCopy();
    variant.put("$ref", ref);
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(variant);
  }

  /** The schema's complaints about {@code json} read as {@code kind} (flag, segment, set). */
  List<Error> validate(String kind, String json) {
    JsonNode node = MAPPER.readTree(json);
    Schema schema =
        switch (kind) {
          case "segment" -> segment;
          case "set" -> flagSet;
          default -> flag;
        };
    return schema.validate(node);
  }
}
