"""Block Kit's contract as data: every block, element and composition object with the
fields Slack accepts, their JSON types and limits, where each may stand, and the rules
that span a surface. Each row names its source (the keys of
../shared/slack/blockkit-rules.md, section Z); where sources disagree, the stricter
reading is kept.

The sandbox Slack (sandbox/slack/strict.py) refuses every payload that breaks a row, with
Slack's error and a JSON pointer; `geese-bot check-blocks` asks real Slack's
`blocks.validate`, which stays the authority. Lengths count UTF-16 code units: no source
says what Slack counts, and UTF-16 never counts fewer than code points.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.slack import limits as limit

MODAL, MESSAGE, HOME = "modal", "message", "home"
SURFACES = frozenset({MODAL, MESSAGE, HOME})


@dataclass(frozen=True)
class Field:
    """One property of an object. `kind` is the JSON shape:
    str, bool, int, enum (a str among `values`), text (plain_text or mrkdwn), plain
    (plain_text only), element (one, of `values` kinds), elements (an array of them),
    option, options, choices (options whose text may be mrkdwn), overflow_options (may
    carry a url), option_groups, confirm, filter, dispatch, slack_file, strs (array of
    str), rich_text (a rich_text block), rich_elements (a rich_text block's elements).
    `most`/`least` bound a string's length, a text's length or an array's items."""

    kind: str
    required: bool = False
    most: int | None = None
    least: int | None = None
    values: tuple[str, ...] = ()
    source: str = ""


def f(kind: str, most: int | None = None, *, required: bool = False, least: int | None = None,
      values: tuple[str, ...] = (), source: str = "") -> Field:
    return Field(kind, required, most, least, values, source)


ID = f("str", limit.BLOCK_ID, least=1, source="doc-section; slack-go-823 (empty id refused)")
ACTION_ID = f("str", limit.ACTION_ID, least=1, source="doc-button; imryche (empty id)")
PLACEHOLDER = f("plain", limit.PLACEHOLDER, source="doc-datepicker; node-ext")
FOCUS = f("bool", source="doc-checkboxes")
CONFIRM = f("confirm", source="node-ext")
DISPATCH = f("dispatch", source="node-ext; doc-plain-text-input")

SELECTS = ("static_select", "external_select", "users_select", "conversations_select",
           "channels_select")
MULTI_SELECTS = tuple(f"multi_{kind}" for kind in SELECTS)
# Elements, by the blocks that may hold them (doc-elements-table, node-blocks).
ACCESSORY = ("button", "checkboxes", "datepicker", "image", *SELECTS, *MULTI_SELECTS,
             "overflow", "radio_buttons", "timepicker", "workflow_button")
IN_ACTIONS = ("button", "checkboxes", "datepicker", "datetimepicker", *SELECTS,
              *MULTI_SELECTS, "overflow", "radio_buttons", "timepicker", "workflow_button")
IN_INPUT = ("checkboxes", "datepicker", "datetimepicker", "email_text_input", "file_input",
            *SELECTS, *MULTI_SELECTS, "number_input", "plain_text_input", "radio_buttons",
            "rich_text_input", "timepicker", "url_text_input")
IN_CONTEXT = ("image", "plain_text", "mrkdwn")


def _select(kind: str) -> dict[str, Field]:
    fields = {"action_id": ACTION_ID, "placeholder": PLACEHOLDER, "confirm": CONFIRM,
              "focus_on_load": FOCUS}
    multi = kind.startswith("multi_")
    base = kind.removeprefix("multi_")
    if multi:
        fields["max_selected_items"] = f("int", least=1, source="node-ext; py-elem")
    if base == "static_select":
        fields["options"] = f("options", limit.OPTIONS, least=1, source="py-elem")
        fields["option_groups"] = f("option_groups", 100, least=1, source="doc-option-group")
    if base in ("static_select", "external_select"):
        fields["initial_options" if multi else "initial_option"] = (
            f("options", least=1, source="phelia-23 (empty refused)") if multi
            else f("option", source="py-elem"))
    if base == "external_select":
        fields["min_query_length"] = f("int", least=0, source="node-elem")
    if base == "users_select":
        fields["initial_users" if multi else "initial_user"] = (
            f("strs", least=1, source="node-elem; dc-multi") if multi
            else f("str", least=1, source="node-elem"))
    if base == "conversations_select":
        fields["initial_conversations" if multi else "initial_conversation"] = (
            f("strs", least=1, source="node-elem") if multi else f("str", least=1))
        fields["default_to_current_conversation"] = f("bool", source="node-elem")
        fields["filter"] = f("filter", source="node-elem")
    if base == "channels_select":
        fields["initial_channels" if multi else "initial_channel"] = (
            f("strs", least=1, source="node-elem") if multi else f("str", least=1))
    if base in ("conversations_select", "channels_select") and not multi:
        fields["response_url_enabled"] = f("bool", source="py-elem")
    return fields


def _text_input(**extra: Field) -> dict[str, Field]:
    return {"action_id": ACTION_ID, "dispatch_action_config": DISPATCH,
            "focus_on_load": FOCUS, "placeholder": PLACEHOLDER, **extra}


# Every object the bot may send, by `type`: its fields (anything else is refused:
# bolt-js-1891, slack-go-1414, slackblocks-36) and their limits.
SCHEMAS: dict[str, dict[str, Field]] = {
    # -- blocks (section 2) --------------------------------------------------------------
    "actions": {"block_id": ID,
                "elements": f("elements", limit.ACTIONS_ELEMENTS, required=True, least=1,
                              values=IN_ACTIONS, source="doc-actions")},
    "context": {"block_id": ID,
                "elements": f("elements", limit.CONTEXT_ELEMENTS, required=True, least=1,
                              values=IN_CONTEXT, source="doc-context")},
    "divider": {"block_id": ID},
    "header": {"block_id": ID,
               "text": f("plain", limit.HEADER, required=True, source="doc-header")},
    "image_block": {"block_id": ID, "alt_text": f("str", 2000, required=True, least=1),
                    "image_url": f("str", limit.URL, least=1, source="doc-image"),
                    "slack_file": f("slack_file", source="doc-image"),
                    "title": f("plain", 2000, source="doc-image")},
    "input": {"block_id": ID,
              "label": f("plain", limit.INPUT_LABEL, required=True, source="doc-input"),
              "element": f("element", required=True, values=IN_INPUT, source="doc-input"),
              "dispatch_action": f("bool", source="doc-input; slackblocks-58"),
              "hint": f("plain", limit.INPUT_HINT, source="doc-input"),
              "optional": f("bool", source="doc-input")},
    "markdown": {"block_id": ID,
                 "text": f("str", 12_000, required=True, least=1, source="doc-markdown")},
    "rich_text": {"block_id": ID,
                  "elements": f("rich_elements", required=True, least=1,
                                source="doc-rich-text; netstandard-100")},
    "section": {"block_id": ID,
                "text": f("text", limit.TEXT, source="doc-section"),
                "fields": f("texts", limit.SECTION_FIELDS, least=1, source="doc-section"),
                "accessory": f("element", values=ACCESSORY, source="doc-section; node-blocks"),
                "expand": f("bool", source="doc-section")},
    # -- elements (section 3) ------------------------------------------------------------
    "button": {"text": f("plain", limit.BUTTON_TEXT, required=True, source="doc-button"),
               "action_id": ACTION_ID, "url": f("str", limit.URL, least=1, source="doc-button"),
               "value": f("str", limit.BUTTON_VALUE, least=1, source="doc-button; section 8"),
               "style": f("enum", values=("primary", "danger"), source="doc-button"),
               "confirm": CONFIRM,
               "accessibility_label": f("str", 75, least=1, source="doc-button")},
    "checkboxes": {"action_id": ACTION_ID,
                   "options": f("choices", limit.CHOICES, required=True, least=1,
                                source="doc-checkboxes"),
                   "initial_options": f("choices", limit.CHOICES, least=1,
                                        source="doc-checkboxes; phelia-23"),
                   "confirm": CONFIRM, "focus_on_load": FOCUS},
    "datepicker": {"action_id": ACTION_ID,
                   "initial_date": f("date", source="doc-datepicker"),
                   "confirm": CONFIRM, "focus_on_load": FOCUS, "placeholder": PLACEHOLDER},
    "datetimepicker": {"action_id": ACTION_ID,
                       "initial_date_time": f("int", 9_999_999_999, least=0,
                                              source="doc-datetimepicker"),
                       "confirm": CONFIRM, "focus_on_load": FOCUS},
    "timepicker": {"action_id": ACTION_ID, "initial_time": f("time", source="doc-timepicker"),
                   "confirm": CONFIRM, "focus_on_load": FOCUS, "placeholder": PLACEHOLDER,
                   "timezone": f("str", least=1, source="doc-timepicker")},
    "plain_text_input": _text_input(
        initial_value=f("str", limit.TEXT, source="imryche; dc-pti (no doc: strict)"),
        multiline=f("bool", source="doc-plain-text-input"),
        min_length=f("int", limit.TEXT, least=0, source="doc-plain-text-input"),
        max_length=f("int", limit.TEXT, least=1, source="doc-plain-text-input")),
    "email_text_input": _text_input(initial_value=f("str", 320, source="doc-email")),
    "url_text_input": _text_input(initial_value=f("str", limit.URL, source="doc-url")),
    "number_input": _text_input(
        is_decimal_allowed=f("bool", required=True, source="doc-number"),
        initial_value=f("number", source="doc-number; dc-rel-103 (strings only)"),
        min_value=f("number", source="doc-number"),
        max_value=f("number", source="doc-number")),
    "image": {"alt_text": f("str", 2000, required=True, least=1, source="py-elem"),
              "image_url": f("str", limit.URL, least=1, source="doc-image-element"),
              "slack_file": f("slack_file", source="doc-image-element")},
    **{kind: _select(kind) for kind in (*SELECTS, *MULTI_SELECTS)},
    "overflow": {"action_id": ACTION_ID,
                 "options": f("overflow_options", 5, required=True, least=2,
                              source="doc-overflow; rdrr-overflow (min 2, strict)"),
                 "confirm": CONFIRM},
    "radio_buttons": {"action_id": ACTION_ID,
                      "options": f("choices", limit.CHOICES, required=True, least=1,
                                   source="doc-radio-md"),
                      "initial_option": f("choice", source="doc-radio-md"),
                      "confirm": CONFIRM, "focus_on_load": FOCUS},
    "rich_text_input": {"action_id": f("str", limit.ACTION_ID, required=True, least=1,
                                       source="doc-rich-text-input"),
                        "initial_value": f("rich_text", source="doc-rich-text-input"),
                        "dispatch_action_config": DISPATCH, "focus_on_load": FOCUS,
                        "placeholder": PLACEHOLDER,
                        "min_lines": f("int", 100, least=1, source="node-elem"),
                        "max_lines": f("int", 100, least=1, source="node-elem")},
    "file_input": {"action_id": ACTION_ID, "filetypes": f("strs", least=1, source="node-elem"),
                   "max_files": f("int", 10, least=1, source="node-elem")},
    # -- composition objects (section 4) -------------------------------------------------
    "plain_text": {"text": f("str", limit.TEXT, required=True, least=1,
                             source="doc-text-object; bolt-js-793"),
                   "emoji": f("bool", source="doc-text-object")},
    "mrkdwn": {"text": f("str", limit.TEXT, required=True, least=1,
                         source="doc-text-object; bolt-js-793"),
               "verbatim": f("bool", source="doc-text-object; jsx-slack-115")},
    "confirm": {"title": f("plain", 100, required=True, source="node-comp"),
                "text": f("plain", 300, required=True, source="node-comp (plain: strict)"),
                "confirm": f("plain", 30, required=True, source="node-comp"),
                "deny": f("plain", 30, required=True, source="node-comp"),
                "style": f("enum", values=("primary", "danger"), source="node-comp")},
    "option": {"text": f("plain", limit.OPTION_TEXT, required=True, source="doc-option"),
               "value": f("str", limit.OPTION_VALUE, required=True, least=1,
                          source="doc-option"),
               "description": f("plain", limit.OPTION_TEXT, source="doc-option")},
    "choice": {"text": f("text", limit.OPTION_TEXT, required=True, source="doc-option"),
               "value": f("str", limit.OPTION_VALUE, required=True, least=1,
                          source="doc-option"),
               "description": f("text", limit.OPTION_TEXT, source="doc-option")},
    "overflow_option": {"text": f("plain", limit.OPTION_TEXT, required=True,
                                  source="doc-option"),
                        "value": f("str", limit.OPTION_VALUE, required=True, least=1,
                                   source="doc-option"),
                        "description": f("plain", limit.OPTION_TEXT, source="doc-option"),
                        "url": f("str", limit.URL, least=1, source="doc-option; slack-go-612")},
    "option_group": {"label": f("plain", 75, required=True, source="doc-option-group"),
                     "options": f("options", limit.OPTIONS, required=True, least=1,
                                  source="doc-option-group")},
    "filter": {"include": f("strs", least=1, values=("im", "mpim", "private", "public"),
                            source="rdrr-filter"),
               "exclude_external_shared_channels": f("bool", source="rdrr-filter"),
               "exclude_bot_users": f("bool", source="rdrr-filter")},
    "dispatch": {"trigger_actions_on": f("strs", least=1, required=True,
                                         values=("on_enter_pressed", "on_character_entered"),
                                         source="node-comp")},
    "slack_file": {"url": f("str", least=1, source="node-comp"),
                   "id": f("str", least=1, source="node-comp")},
    # -- views (section 7) ---------------------------------------------------------------
    "modal": {"title": f("plain", limit.VIEW_TITLE, required=True, source="doc-modal-views"),
              "blocks": f("blocks", limit.VIEW_BLOCKS, required=True, least=1,
                          source="doc-modal-views; py-views"),
              "close": f("plain", limit.VIEW_TITLE, source="doc-modal-views"),
              "submit": f("plain", limit.VIEW_TITLE, source="doc-modal-views"),
              "private_metadata": f("str", limit.PRIVATE_METADATA, source="doc-modal-views"),
              "callback_id": f("str", limit.CALLBACK_ID, source="doc-home-views"),
              "clear_on_close": f("bool", source="node-views"),
              "notify_on_close": f("bool", source="node-views"),
              "external_id": f("str", 255, least=1, source="ref-views-update")},
    "home": {"blocks": f("blocks", limit.VIEW_BLOCKS, required=True, least=1,
                         source="doc-home-views; py-views"),
             "private_metadata": f("str", limit.PRIVATE_METADATA, source="doc-home-views"),
             "callback_id": f("str", limit.CALLBACK_ID, source="doc-home-views"),
             "external_id": f("str", 255, least=1, source="ref-views-update")},
}

# Objects with no `type` of their own, known by where they stand.
UNTYPED = frozenset({"confirm", "option", "choice", "overflow_option", "option_group",
                     "filter", "dispatch", "slack_file"})

# Which surfaces each block may be sent on (section 5.1). `file` is read-only: never sent.
# Input blocks in messages: sources conflict and the one observation is a refusal
# (py-1257), so the strict reading refuses them.
BLOCK_SURFACES: dict[str, frozenset[str]] = {
    "actions": SURFACES, "context": SURFACES, "divider": SURFACES, "header": SURFACES,
    "image": SURFACES, "input": frozenset({MODAL, HOME}), "markdown": frozenset({MESSAGE}),
    "rich_text": SURFACES, "section": SURFACES,
}

# Which surfaces each element may be sent on (section 5.2).
ELEMENT_SURFACES: dict[str, frozenset[str]] = {
    **{kind: SURFACES for kind in ("button", "checkboxes", "datepicker", "image", "overflow",
                                   "plain_text_input", "radio_buttons", "timepicker",
                                   *SELECTS, *MULTI_SELECTS)},
    "datetimepicker": frozenset({MODAL, MESSAGE}),
    "rich_text_input": frozenset({MODAL, HOME}),
    "workflow_button": frozenset({MESSAGE}),
    **{kind: frozenset({MODAL}) for kind in ("email_text_input", "url_text_input",
                                             "number_input", "file_input")},
}


@dataclass(frozen=True)
class Rule:
    """A rule that spans objects or a surface (section 6 and 8): what Slack says and where."""

    id: str
    says: str
    source: str


RULES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule("closed", "an object carries only the fields of its type", "bolt-js-1891; R6-R8"),
    Rule("json-type", "each field has its JSON type (a boolean is a boolean, a number_input "
         "value a string)", "slackblocks-58; jsx-slack-115; dc-rel-103"),
    Rule("required", "required fields are present", "section 1-4"),
    Rule("length", "strings, texts and arrays within their limits; texts never empty",
         "doc-text-object; blog-3001; bolt-js-793"),
    Rule("enum", "an enum field holds one of its values", "slackblocks-5"),
    Rule("type", "every block, element and text object has a known type",
         "ref-blocks-validate; django-slack-utils-5"),
    Rule("placement", "an element stands only in the blocks that may hold it",
         "doc-elements-table"),
    Rule("surface", "a block or element only on the surfaces that allow it (never `file`; "
         "input blocks in modals and the Home tab)", "doc-elements-table; doc-file; py-1257"),
    Rule("block-id-unique", "block_id unique within a message or view", "U1; slack-go-725"),
    Rule("action-id-unique", "action_id unique within its block", "U3; gantry-458"),
    Rule("one-focus", "at most one element with focus_on_load in a view", "U5"),
    Rule("block-count", "at most 50 blocks a message, 100 a modal or Home tab; a view has "
         "at least one", "U6; U7"),
    Rule("markdown-total", "markdown blocks of one payload total at most 12,000 characters",
         "U8; doc-markdown"),
    Rule("submit-with-input", "a modal with an input block defines submit", "U11; node-875"),
    Rule("initial-among-options", "initial options are among the options, and not empty",
         "U12; phelia-23"),
    Rule("options-xor-groups", "a static select has options or option_groups, not both",
         "U13; py-elem"),
    Rule("one-image-source", "image_url or slack_file, exactly one; slack_file url or id",
         "U14; doc-image"),
    Rule("section-content", "a section has text or fields", "U15; doc-section"),
    Rule("min-max", "number_input min_value <= max_value; plain_text_input min_length <= "
         "max_length", "U16; U17"),
    Rule("format", "initial_date is YYYY-MM-DD, initial_time HH:mm, number values numeric",
         "doc-datepicker; doc-timepicker; doc-number"),
    Rule("view-size", "a view's JSON at most 250 kB", "U21; ref-views-open"),
    Rule("message-text", "a message's blocks hold at most 11,000 characters of text "
         "(msg_blocks_too_long: observed from 11,341, strict)", "U10; bolt-js-2509"),
    Rule("no-dispatch-file", "an input block with dispatch_action holds no file_input",
         "doc-input"),
)}

MESSAGE_BLOCKS_TEXT = limit.MESSAGE_BLOCKS_TEXT
VIEW_BYTES = 250_000
UPDATE_TEXT = limit.UPDATE_TEXT  # chat.update: msg_too_long past it (ref-chat-update)
