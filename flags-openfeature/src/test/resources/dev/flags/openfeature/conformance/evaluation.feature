# Flag evaluation through the OpenFeature API with the Flags provider.
#
# Written for this project, after the scenarios of the OpenFeature specification's gherkin
# evaluation suite (specification/assets/gherkin/evaluation.feature and evaluation_v2.feature of
# open-feature/spec), against flags.json beside this file, in our flag format. The specification's
# own files are not used: no artifact on Maven Central or npm ships them (docs/openfeature.md,
# "Conformance"), and copying them from the repository into ours is not done here. What differs
# from the specification, and why, is said at each place.
Feature: Flag evaluation through OpenFeature

  Background:
    Given a ready provider serving the conformance flags

  # The variant is the index of the variation served: our variations have no names, so where the
  # specification expects "on", "greeting", "ten", "half" or "template", we expect "1".
  Scenario Outline: Resolves a <type> value with its details
    Given a <type> flag "<key>" with the default '<default>'
    When the flag is evaluated with details
    Then the value is '<value>'
    And the flag key is "<key>"
    And the variant is "1"
    And the reason is "STATIC"
    And there is no error code

    Examples:
      | type    | key          | default | value                                                                  |
      | Boolean | boolean-flag | false   | true                                                                   |
      | String  | string-flag  | bye     | hi                                                                     |
      | Integer | integer-flag | 1       | 10                                                                     |
      | Float   | float-flag   | 0.1     | 0.5                                                                    |
      | Object  | object-flag  | {}      | {"showImages": true, "title": "Check out these pics!", "imagesPerPage": 100} |

  Scenario Outline: Resolves a <type> zero value
    Given a <type> flag "<key>" with the default '<default>'
    When the flag is evaluated with details
    Then the value is '<value>'
    And the variant is "0"
    And the reason is "STATIC"

    Examples:
      | type    | key               | default | value |
      | Boolean | boolean-zero-flag | true    | false |
      | String  | string-zero-flag  | hi      |       |
      | Integer | integer-zero-flag | 1       | 0     |
      | Float   | float-zero-flag   | 0.1     | 0.0   |
      | Object  | object-zero-flag  | {"b": 2} | {}   |

  Scenario Outline: Resolves a <type> zero value by targeting
    Given a <type> flag "<key>" with the default '<default>'
    And the context has "email" = "ballmer@macrosoft.com" of type String
    When the flag is evaluated with details
    Then the value is '<value>'
    And the reason is "TARGETING_MATCH"

    Examples:
      | type    | key                        | default  | value |
      | Boolean | boolean-targeted-zero-flag | true     | false |
      | String  | string-targeted-zero-flag  | hi       |       |
      | Integer | integer-targeted-zero-flag | 1        | 0     |
      | Float   | float-targeted-zero-flag   | 0.1      | 0.0   |
      | Object  | object-targeted-zero-flag  | {"a": 1} | {}    |

  Scenario Outline: Falls back to the <type> flag's default variation when targeting does not match
    Given a <type> flag "<key>" with the default '<default>'
    And the context has "email" = "ballmer@none.com" of type String
    When the flag is evaluated with details
    Then the value is '<value>'
    And the reason is "DEFAULT"

    Examples:
      | type    | key                        | default  | value |
      | Boolean | boolean-targeted-zero-flag | true     | false |
      | String  | string-targeted-zero-flag  | hi       |       |
      | Integer | integer-targeted-zero-flag | 1        | 0     |
      | Float   | float-targeted-zero-flag   | 0.1      | 0.0   |
      | Object  | object-targeted-zero-flag  | {"a": 1} | {}    |

  Scenario Outline: An empty context falls back to the <type> flag's default variation
    Given a <type> flag "<key>" with the default '<default>'
    When the flag is evaluated with details
    Then the value is '<value>'
    And the reason is "DEFAULT"

    Examples:
      | type    | key                        | default  | value |
      | Boolean | boolean-targeted-zero-flag | true     | false |
      | Integer | integer-targeted-zero-flag | 1        | 0     |

  Scenario Outline: A null context value falls back to the <type> flag's default variation
    Given a <type> flag "<key>" with the default '<default>'
    And the context has "email" set to null
    When the flag is evaluated with details
    Then the value is '<value>'
    And the reason is "DEFAULT"

    Examples:
      | type   | key                       | default | value |
      | String | string-targeted-zero-flag | str     |       |
      | Float  | float-targeted-zero-flag  | 1.0     | 0.0   |

  Scenario: Resolves based on the context
    Given a String flag "context-aware" with the default "EXTERNAL"
    And the context has the targeting key "sulislaw"
    And the context has "fn" = "Sulisław" of type String
    And the context has "ln" = "Świętopełk" of type String
    And the context has "age" = "29" of type Integer
    And the context has "customer" = "false" of type Boolean
    When the flag is evaluated with details
    Then the value is "INTERNAL"
    And the reason is "TARGETING_MATCH"
    When the flag is evaluated with details and an empty context
    Then the value is "EXTERNAL"
    And the reason is "DEFAULT"

  Scenario Outline: A missing <type> flag serves the default with FLAG_NOT_FOUND
    Given a <type> flag "non-existent-flag" with the default '<default>'
    When the flag is evaluated with details
    Then the value is '<default>'
    And the reason is "ERROR"
    And the error code is "FLAG_NOT_FOUND"

    Examples:
      | type    | default  |
      | Boolean | false    |
      | String  | bye      |
      | Integer | 1        |
      | Float   | 0.1      |
      | Object  | {"a": 1} |

  Scenario Outline: A flag asked for as a <requested> serves the default with TYPE_MISMATCH
    Given a <requested> flag "<key>" with the default '<default>'
    When the flag is evaluated with details
    Then the value is '<default>'
    And the reason is "ERROR"
    And the error code is "TYPE_MISMATCH"

    Examples:
      | key          | requested | default |
      | boolean-flag | String    | bye     |
      | string-flag  | Boolean   | false   |
      | wrong-flag   | Integer   | 13      |
      | float-flag   | Integer   | 1       |

  # Not in the specification's evaluation suite, but one of OpenFeature's reasons: a flag switched
  # off (our kill switch) serves its off variation.
  Scenario: A flag switched off is DISABLED
    Given a String flag "disabled-flag" with the default "default"
    When the flag is evaluated with details
    Then the value is "off"
    And the variant is "0"
    And the reason is "DISABLED"

  # The specification's metadata scenario expects free-form metadata ("string", "integer",
  # "float", "boolean" keys); our flags carry an owner, tags, dates and a version, and those are
  # what the provider reports.
  Scenario: The flag's metadata is in the details
    Given a Boolean flag "metadata-flag" with the default "false"
    When the flag is evaluated with details
    Then the flag metadata has "owner" = "team-checkout"
    And the flag metadata has "tags" = "checkout,web"
    And the flag metadata has "killDate" = "2027-01-31T00:00:00Z"
    And the flag metadata has the number "version" = 3

  Scenario Outline: A provider whose store has not loaded serves the <type> default with PROVIDER_NOT_READY
    Given a provider whose store never loads
    And a <type> flag "<key>" with the default '<default>'
    When the flag is evaluated with details
    Then the value is '<default>'
    And the reason is "ERROR"
    And the error code is "PROVIDER_NOT_READY"

    Examples:
      | type    | key          | default  |
      | Boolean | boolean-flag | false    |
      | String  | string-flag  | bye      |
      | Integer | integer-flag | 1        |
      | Float   | float-flag   | 0.1      |
      | Object  | object-flag  | {"a": 1} |
