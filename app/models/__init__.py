"""Database models, one module per area; import them from here."""

from app.models.audit import AuditEvent
from app.models.coaching import (
    CoachingPlan,
    InductionChecklist,
    InductionTask,
    InductionTemplateRecord,
    ProgressReview,
)
from app.models.data_version import DataVersion
from app.models.interviews import RECOMMENDATIONS, CalibrationNote, Interview, InterviewRating
from app.models.notifications import (
    EMAIL_CHOICES,
    OUTBOX_STATUSES,
    Notification,
    NotificationPreference,
    OutboxMessage,
)
from app.models.people import (
    ASSESSMENT_STATUSES,
    DECISIONS,
    EXPERIENCE_LEVELS,
    HATS,
    Assessment,
    ExecProfile,
    SavedInput,
    SelfAssessment,
    SelfRating,
    ValueStream,
)
from app.models.reports import (
    EXPORT_STATUSES,
    ExportItem,
    ExportJob,
    RenderedDocument,
    RenderState,
)
from app.models.roles import VERSION_STATUSES, RoleDefinition, RoleVersion
from app.models.scores import ScoreSnapshot
from app.models.stakeholders import (
    RELATIONSHIPS,
    StakeholderComment,
    StakeholderInvitation,
    StakeholderRating,
)
from app.models.tasks import TASK_STATUSES, TaskRun
from app.models.users import ROLE_LABELS, ROLES, AccountToken, User, UserSession

__all__ = [
    "ASSESSMENT_STATUSES",
    "DECISIONS",
    "EMAIL_CHOICES",
    "EXPERIENCE_LEVELS",
    "EXPORT_STATUSES",
    "HATS",
    "OUTBOX_STATUSES",
    "RECOMMENDATIONS",
    "RELATIONSHIPS",
    "ROLES",
    "ROLE_LABELS",
    "TASK_STATUSES",
    "VERSION_STATUSES",
    "AccountToken",
    "Assessment",
    "AuditEvent",
    "CalibrationNote",
    "CoachingPlan",
    "DataVersion",
    "ExecProfile",
    "ExportItem",
    "ExportJob",
    "InductionChecklist",
    "InductionTask",
    "InductionTemplateRecord",
    "Interview",
    "InterviewRating",
    "Notification",
    "NotificationPreference",
    "OutboxMessage",
    "ProgressReview",
    "RenderState",
    "RenderedDocument",
    "RoleDefinition",
    "RoleVersion",
    "SavedInput",
    "ScoreSnapshot",
    "SelfAssessment",
    "SelfRating",
    "StakeholderComment",
    "StakeholderInvitation",
    "StakeholderRating",
    "TaskRun",
    "User",
    "UserSession",
    "ValueStream",
]
