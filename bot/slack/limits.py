"""Slack's published limits on what an app may send, each with where Slack says so.

The builders keep within these (bot/slack/blocks.py: `clip`, `fit_lines`), and the sandbox
Slack refuses what exceeds them (sandbox/slack/strict.py), as Slack does. Pages are on
docs.slack.dev (formerly api.slack.com); slack_sdk's Block Kit models carry most of the
same numbers (`slack_sdk.models.blocks`, `slack_sdk.models.views`).
"""

from __future__ import annotations

# reference/block-kit/blocks: "You can include up to 50 blocks in each message, and 100
# blocks in modals or Home tabs."
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100

# reference/block-kit/composition-objects/text-object: "The minimum length is 1 and
# maximum length is 3000 characters." (section text, context elements, option
# descriptions: every text object unless a narrower limit applies below)
TEXT = 3000
# reference/block-kit/blocks/section-block: at most 10 fields, each at most 2,000.
SECTION_FIELDS = 10
SECTION_FIELD = 2000
# reference/block-kit/blocks/header-block: "Maximum length for the text in this field
# is 150 characters."
HEADER = 150
# reference/block-kit/blocks/context-block: "Maximum number of items is 10."
CONTEXT_ELEMENTS = 10
# reference/block-kit/blocks/actions-block: "There is a maximum of 25 elements."
ACTIONS_ELEMENTS = 25
# reference/block-kit/blocks/input-block: label and hint "Maximum length ... is 2000".
INPUT_LABEL = 2000
INPUT_HINT = 2000
# reference/block-kit/block-elements/button-element: text 75, value 2,000, url 3,000.
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
URL = 3000
# reference/block-kit/composition-objects/option-object: text 75, value 150.
OPTION_TEXT = 75
OPTION_VALUE = 150
# reference/block-kit/block-elements/select-menu-element: "Maximum number of options
# is 100." Radio buttons and checkboxes: 10.
OPTIONS = 100
CHOICES = 10
# reference/block-kit/block-elements/plain-text-input-element: max_length 1..3000, so a
# form never takes more than 3,000 characters in one field.
INPUT_LENGTH = 3000
# Placeholders (select menus, inputs, date pickers): 150.
PLACEHOLDER = 150
# reference/block-kit/block-elements/*: action_id and block_id at most 255.
ACTION_ID = 255
BLOCK_ID = 255

# reference/views/modal-views and home-tab-views: title, submit and close at most 24
# characters; private_metadata at most 3,000; callback_id at most 255.
VIEW_TITLE = 24
PRIVATE_METADATA = 3000
CALLBACK_ID = 255

# reference/methods/chat.postMessage: "The text field ... Slack will truncate messages
# containing more than 40,000 characters"; chat.update and chat.postEphemeral answer
# msg_too_long instead.
MESSAGE_TEXT = 40_000
# reference/methods/chat.update: "The text field cannot exceed 4,000 characters."
UPDATE_TEXT = 4_000

# msg_blocks_too_long (chat.postMessage): Slack caps the text summed over a message's
# blocks without saying where; failures were seen from 11,341 characters
# (shared/slack/blockkit-rules.md U10, R18), so builders stay below 11,000.
MESSAGE_BLOCKS_TEXT = 11_000

# Our own bound for one notification line (the fallback `text`): Slack shows about the
# first 150 characters in a notification, and a short fallback reads better everywhere.
FALLBACK_TEXT = 300
