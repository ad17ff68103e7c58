package dev.flags.integration.kit;

/**
 * The callers the parity kit makes requests as. An application under test defines these users (name
 * and password below) with these roles, so every framework's security answers alike.
 */
public enum KitUser {
  /** No credentials at all. */
  NONE("", "", ""),
  /** Authenticated, with neither flags role. */
  NO_ROLE("kit-nobody", "kit-nobody-password", ""),
  /** Authenticated, with the viewer role ({@code flags.admin.viewer-role}, FLAGS_VIEWER). */
  VIEWER("kit-viewer", "kit-viewer-password", "FLAGS_VIEWER"),
  /** Authenticated, with the editor role ({@code flags.admin.editor-role}, FLAGS_EDITOR). */
  EDITOR("kit-editor", "kit-editor-password", "FLAGS_EDITOR");

  private final String username;
  private final String password;
  private final String role;

  KitUser(String username, String password, String role) {
    this.username = username;
    this.password = password;
    this.role = role;
  }

  /** The user name; the actor of the changes this user makes. */
  public String username() {
    return username;
  }

  /** The password, for HTTP Basic authentication. */
  public String password() {
    return password;
  }

  /** The role this user has, or {@code ""} for none. */
  public String role() {
    return role;
  }
}
