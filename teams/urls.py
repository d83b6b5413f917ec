from django.urls import path

from teams.views import (
    accounts,
    direction,
    invitations,
    learning,
    people,
    signup,
    teams,
    themes,
)

app_name = "teams"

urlpatterns = [
    path("teams/", teams.team_list, name="list"),
    path("teams/new/", teams.team_create, name="create"),
    path("teams/<int:pk>/", teams.team_detail, name="detail"),
    path("teams/<int:pk>/edit/", teams.team_edit, name="edit"),
    path("teams/<int:pk>/members/add/", teams.member_add, name="member_add"),
    path("teams/<int:pk>/members/<int:user_pk>/role/", teams.member_role, name="member_role"),
    path("teams/<int:pk>/members/<int:user_pk>/remove/", teams.member_remove, name="member_remove"),
    path("teams/<int:pk>/goals/new/", direction.team_goal_create, name="team_goal_create"),
    path("team-goals/<int:pk>/edit/", direction.team_goal_edit, name="team_goal_edit"),
    path("team-goals/<int:pk>/accept/", direction.team_goal_accept, name="team_goal_accept"),
    path("themes/", themes.theme_list, name="themes"),
    path("themes/new/", themes.theme_create, name="theme_create"),
    path("themes/<int:pk>/edit/", themes.theme_edit, name="theme_edit"),
    path("learning/goals/new/", learning.personal_goal_create, name="personal_goal_create"),
    path("learning/goals/<int:pk>/", learning.personal_goal_detail, name="personal_goal"),
    path("learning/goals/<int:pk>/edit/", learning.personal_goal_edit, name="personal_goal_edit"),
    path("learning/goals/<int:pk>/check-ins/", learning.checkin_create, name="checkin_create"),
    path("people/", people.person_list, name="people"),
    path("people/<int:pk>/", people.person_edit, name="person_edit"),
    path("invitations/", invitations.invitation_list, name="invitations"),
    path("invitations/many/", invitations.invitation_many, name="invitation_many"),
    path("invitations/<int:pk>/resend/", invitations.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", invitations.invitation_revoke, name="invitation_revoke"),
    path("invite/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("signup/", signup.signup, name="signup"),
    path("signup/verify/<str:token>/", signup.signup_verify, name="signup_verify"),
    path("accounts/preferences/", accounts.preferences, name="preferences"),
    path("i18n/language/", accounts.set_language, name="set_language"),
]
