"""Every GraphQL document the bot sends, in one place (each validated in a test
against 7Geese's real schema and the sandbox's)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    name: str
    text: str

    @property
    def is_read(self) -> bool:
        """Reads may be retried after a timeout or 5xx; writes never are. Read off the
        operation itself, so a mutation cannot be marked a read by mistake."""
        return OPERATION.match(self.text)[1] == "query"


# The document's operation comes first; fragments follow it.
OPERATION = re.compile(r"\s*(query|mutation)\b")


PROFILE_FIELDS = """
fragment ProfileFields on UserProfileNode {
  pk
  url
  fullName
  timezone
  profileUrl
  user { email }
}
"""

CURRENT_USER = Document(
    "CurrentUser",
    """
query CurrentUser {
  currentUser { ...ProfileFields network { pk name } }
}
"""
    + PROFILE_FIELDS,
)

PROFILE_BY_EMAIL = Document(
    "ProfileByEmail",
    """
query ProfileByEmail($email: String!) {
  profiles(user_Email: $email, first: 2) {
    edges { node { ...ProfileFields } }
  }
}
"""
    + PROFILE_FIELDS,
)

PROFILE_BY_PK = Document(
    "ProfileByPk",
    """
query ProfileByPk($pk: Int!) {
  profile(pk: $pk) { ...ProfileFields }
}
"""
    + PROFILE_FIELDS,
)

BADGES = Document(
    "Badges",
    """
query Badges {
  badges(first: 100) {
    edges { node { pk url name active } }
  }
}
""",
)

# Used to learn whether a recognition whose POST had no clear answer landed after all.
RECOGNITIONS_GIVEN = Document(
    "RecognitionsGiven",
    """
query RecognitionsGiven($sender: Int!, $recipient: Int!, $since: String!) {
  recognitions(senderId: $sender, recipientId: $recipient, awardedDate_Gte: $since,
               orderBy: "-awarded_date", first: 20) {
    edges { node { pk message awardedDate recognitionWebViewUrl } }
  }
}
""",
)

# The recognition feed: everything awarded in the company since a moment, oldest first.
RECOGNITION_FEED = Document(
    "RecognitionFeed",
    """
query RecognitionFeed($since: String!, $first: Int!) {
  recognitions(awardedDate_Gte: $since, orderBy: "awarded_date", first: $first) {
    edges { node { pk message awardedDate recognitionWebViewUrl
                   sender { ...ProfileFields } recipient { ...ProfileFields }
                   badge { name } } }
  }
}
"""
    + PROFILE_FIELDS,
)

OBJECTIVE_FIELDS = """
fragment ObjectiveFields on ObjectiveNode {
  pk
  name
  objectiveUrl
  dueDatetime
  progress
  overallAssessmentStatus
  private
  lastCheckin { created }
  keyResults(first: 25) {
    edges { node { pk name measurementType startingValue targetValue currentValue progress } }
  }
}
"""

MY_OBJECTIVES = Document(
    "MyObjectives",
    """
query MyObjectives {
  currentUser {
    pk
    ownedObjectives(closed: false, first: 50) {
      totalCount
      edges { node { ...ObjectiveFields } }
    }
  }
}
"""
    + OBJECTIVE_FIELDS,
)

OBJECTIVE = Document(
    "Objective",
    """
query Objective($pk: Int!) {
  objective(pk: $pk) { ...ObjectiveFields }
}
"""
    + OBJECTIVE_FIELDS,
)

CREATE_CHECKIN = Document(
    "CreateCheckin",
    """
mutation CreateCheckin($objective: Int!, $message: String, $status: Int,
                       $keyResults: [KeyResultInputNode]) {
  createCheckin(objectivePk: $objective, message: $message, assessmentStatus: $status,
                keyResults: $keyResults) {
    checkin { pk created }
    objective { ...ObjectiveFields }
  }
}
"""
    + OBJECTIVE_FIELDS,
)

ONEONONE_FIELDS = """
fragment OneOnOneFields on OneOnOneNode {
  pk
  startTime
  endTime
  created
  rrule { pk }
  status
  deleted
  completedDatetime
  facilitator { ...ProfileFields }
  participant { ...ProfileFields }
  questionSet {
    questions(first: 100) { edges { node { pk content description } } }
  }
}
"""

UPCOMING_ONEONONES = Document(
    "UpcomingOneOnOnes",
    """
query UpcomingOneOnOnes($me: Int!, $from: String!, $to: String!) {
  oneonones(participants: [$me], startTime_Gte: $from, startTime_Lte: $to,
            orderBy: "start_time", first: 50) {
    edges { node { ...OneOnOneFields } }
  }
}
"""
    + ONEONONE_FIELDS + PROFILE_FIELDS,
)

ONEONONE = Document(
    "OneOnOne",
    """
query OneOnOne($pk: Int!) {
  oneonone(pk: $pk) { ...OneOnOneFields }
}
"""
    + ONEONONE_FIELDS + PROFILE_FIELDS,
)

# The agenda input looks like a full replace: send every existing talking point whole
# (pk, content, description) and the new one (API.md: replace semantics inferred).
UPDATE_AGENDA = Document(
    "UpdateAgenda",
    """
mutation UpdateAgenda($pk: Int!, $questions: [QuestionInput]) {
  updateOneononeAgenda(pk: $pk, agenda: {questions: $questions}) {
    oneonone { pk }
    errors {
      __typename
      ... on OneOnOneQuestionNode { pk content }
      ... on OneOnOneNoteNode { pk content }
    }
  }
}
""",
)

# The whole agenda, as the agenda write must send it back: every talking point (paged
# by offset, 100 at a time) with its notes, since updateOneononeAgenda replaces them all.
AGENDA = Document(
    "Agenda",
    """
query Agenda($pk: Int!, $offset: Int) {
  oneonone(pk: $pk) {
    pk
    deleted
    questionSet {
      questions(first: 100, offset: $offset) {
        totalCount
        edges { node {
          pk content description
          notes(first: 100) { totalCount edges { node { content modified creator { pk } } } }
        } }
      }
    }
  }
}
""",
)

MY_MANAGER = Document(
    "MyManager",
    """
query MyManager {
  currentUser { pk reportsTo { ...ProfileFields } }
}
"""
    + PROFILE_FIELDS,
)

ACTION_ITEM_FIELDS = """
fragment ActionItemFields on ActionItemNode {
  pk
  created
  title
  dueDate
  completed
  deleted
  assignedTo { pk fullName }
  createdInOneonone { pk startTime facilitator { pk fullName } participant { pk fullName } }
}
"""

# Open action items assigned to a person, soonest due first.
MY_ACTION_ITEMS = Document(
    "MyActionItems",
    """
query MyActionItems($me: Int!) {
  actionItems(assignedTo: $me, completed: false, orderBy: "due_date", first: 50) {
    totalCount
    edges { node { ...ActionItemFields } }
  }
}
"""
    + ACTION_ITEM_FIELDS,
)

# Every action item of one 1-on-1 (the follow-up after it).
MEETING_ACTION_ITEMS = Document(
    "MeetingActionItems",
    """
query MeetingActionItems($meeting: Int!) {
  actionItems(oneonone: $meeting, orderBy: "due_date", first: 50) {
    totalCount
    edges { node { ...ActionItemFields } }
  }
}
"""
    + ACTION_ITEM_FIELDS,
)

ACTION_ITEM = Document(
    "ActionItem",
    """
query ActionItem($pk: Int!) {
  actionItem(pk: $pk) { ...ActionItemFields }
}
"""
    + ACTION_ITEM_FIELDS,
)

SAVE_ACTION_ITEM = Document(
    "SaveActionItem",
    """
mutation SaveActionItem($pk: Int, $item: ActionItemInput!) {
  createOrUpdateActionItem(pk: $pk, actionItem: $item) {
    actionItem { ...ActionItemFields }
  }
}
"""
    + ACTION_ITEM_FIELDS,
)

# Private direct feedback; the visibility flags are the giver's choice.
GIVE_FEEDBACK = Document(
    "GiveFeedback",
    """
mutation GiveFeedback($feedback: SimpleDirectFeedbackInput!) {
  giveSimpleDirectFeedback(feedback: $feedback) {
    feedbackRequest { pk url created }
  }
}
""",
)

# Feedback the person gave lately, to learn whether a write 7Geese may have carried out
# landed (direct feedback is kept as a feedback request made by the giver: inferred).
FEEDBACK_GIVEN = Document(
    "FeedbackGiven",
    """
query FeedbackGiven($me: Int!, $since: String!) {
  feedbackRequests(profileRelevance: {profile: $me, includeFromProfile: true,
                                      includeForProfile: false,
                                      includeSharedWithProfile: false},
                   sentDateGte: $since, first: 50) {
    edges { node { pk url title created creator { pk } recipient { pk } } }
  }
}
""",
)

# Everything the Home tab shows from 7Geese, in one request.
HOME = Document(
    "Home",
    """
query Home($me: Int!, $from: String!, $to: String!, $since: String!) {
  currentUser {
    pk
    isManager
    ownedObjectives(closed: false, first: 50) {
      totalCount
      edges { node { ...ObjectiveFields } }
    }
  }
  oneonones(participants: [$me], startTime_Gte: $from, startTime_Lte: $to,
            orderBy: "start_time", first: 50) {
    edges { node { ...OneOnOneFields } }
  }
  recognitions(recipientId: $me, awardedDate_Gte: $since, orderBy: "-awarded_date",
               first: 10) {
    edges { node { pk message awardedDate recognitionWebViewUrl
                   sender { fullName } badge { name } } }
  }
  actionItems(assignedTo: $me, completed: false, orderBy: "due_date", first: 20) {
    totalCount
    edges { node { ...ActionItemFields } }
  }
}
"""
    + OBJECTIVE_FIELDS + ONEONONE_FIELDS + PROFILE_FIELDS + ACTION_ITEM_FIELDS,
)

# A person's open 7Geese notifications, newest first. The union has many more members;
# every one implements NotificationInterface, so any other type still arrives with its
# pk and date (and its __typename), and is shown as a line.
NOTIFICATIONS_FIELD = """
  currentUser {
    pk
    notifications(open: true, first: $first) {
      edges { node {
        __typename
        ... on NotificationInterface { pk created }
        ... on RecognitionReceivedNotificationNode {
          recognition { pk message recognitionWebViewUrl badge { name }
                        sender { ...ProfileFields } }
        }
        ... on WaitingFeedbackRequestNotificationNodeV2 {
          feedbackRequest { ...FeedbackRequestFields }
        }
        ... on FeedbackRequestReminderNotificationNodeV2 {
          feedbackRequest { ...FeedbackRequestFields }
        }
        ... on DirectFeedbackReceivedNotificationNode {
          feedbackRequest { ...FeedbackRequestFields }
        }
        ... on FeedbackSharedNotificationNode { feedbackResponse { pk } }
        ... on CheckinReminderNotificationNode { objective { pk name objectiveUrl } }
        ... on UpcomingOneOnOneNotificationNode { oneonone { ...OneOnOneFields } }
        ... on UnscheduledOneOnOneNotificationNode { oneonone { ...OneOnOneFields } }
      } }
    }
  }
"""

FEEDBACK_REQUEST_FIELDS = """
fragment FeedbackRequestFields on FeedbackRequestV2Node {
  pk title dueDatetime creator { ...ProfileFields } recipient { ...ProfileFields }
}
"""

NOTIFICATIONS = Document(
    "MyNotifications",
    "query MyNotifications($first: Int!) {" + NOTIFICATIONS_FIELD + "}\n"
    + FEEDBACK_REQUEST_FIELDS + ONEONONE_FIELDS + PROFILE_FIELDS,
)

# A person's turn on the poller's rota: their upcoming 1-on-1s and their notifications
# in one request (two polls would spend the company's 7Geese budget twice).
PERSON_POLL = Document(
    "PersonPoll",
    """
query PersonPoll($me: Int!, $from: String!, $to: String!, $first: Int!) {
  oneonones(participants: [$me], startTime_Gte: $from, startTime_Lte: $to,
            orderBy: "start_time", first: 50) {
    edges { node { ...OneOnOneFields } }
  }""" + NOTIFICATIONS_FIELD + "}\n"
    + FEEDBACK_REQUEST_FIELDS + ONEONONE_FIELDS + PROFILE_FIELDS,
)

DECLINE_FEEDBACK = Document(
    "DeclineFeedback",
    """
mutation DeclineFeedback($pk: Int!) {
  declineFeedback(requestPk: $pk) { feedbackResponder { pk } }
}
""",
)

# A manager's week with their direct reports, read with the manager's own token (so only
# what 7Geese shows them): each report and their open objectives, the period's
# recognitions, the manager's coming 1-on-1s and the open action items they can see.
TEAM_WEEK = Document(
    "TeamWeek",
    """
query TeamWeek($me: Int!, $meId: ID!, $since: String!, $until: String!, $from: String!,
               $to: String!) {
  profiles(reportsTo: $meId, first: 25) {
    totalCount
    edges { node { ...ProfileFields
      ownedObjectives(closed: false, first: 20) {
        edges { node { pk name objectiveUrl lastCheckin { created } } }
      }
    } }
  }
  recognitions(awardedDate_Gte: $since, awardedDate_Lte: $until, orderBy: "awarded_date",
               first: 200) {
    edges { node { pk awardedDate recognitionWebViewUrl recipient { pk }
                   sender { pk fullName } badge { name } } }
  }
  oneonones(participants: [$me], startTime_Gte: $from, startTime_Lte: $to,
            orderBy: "start_time", first: 50) {
    edges { node { ...OneOnOneFields } }
  }
  actionItems(completed: false, orderBy: "due_date", first: 100) {
    edges { node { ...ActionItemFields } }
  }
}
"""
    + PROFILE_FIELDS + ONEONONE_FIELDS + ACTION_ITEM_FIELDS,
)

ALL = (HOME, CURRENT_USER, PROFILE_BY_EMAIL, PROFILE_BY_PK, BADGES, RECOGNITIONS_GIVEN,
       MY_OBJECTIVES, OBJECTIVE, CREATE_CHECKIN, UPCOMING_ONEONONES, ONEONONE,
       UPDATE_AGENDA, AGENDA, MY_MANAGER, MY_ACTION_ITEMS, MEETING_ACTION_ITEMS, ACTION_ITEM,
       SAVE_ACTION_ITEM, GIVE_FEEDBACK, FEEDBACK_GIVEN, RECOGNITION_FEED, NOTIFICATIONS,
       PERSON_POLL, DECLINE_FEEDBACK, TEAM_WEEK)
