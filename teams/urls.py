from django.urls import path

from teams.views import accounts, invitations, people, teams

app_name = "teams"

urlpatterns = [
    path("teams/", teams.team_list, name="list"),
    path("teams/new/", teams.team_create, name="create"),
    path("teams/<int:pk>/", teams.team_detail, name="detail"),
    path("teams/<int:pk>/edit/", teams.team_edit, name="edit"),
    path("teams/<int:pk>/members/add/", teams.member_add, name="member_add"),
    path("teams/<int:pk>/members/<int:user_pk>/role/", teams.member_role, name="member_role"),
    path("teams/<int:pk>/members/<int:user_pk>/remove/", teams.member_remove, name="member_remove"),
    path("people/", people.person_list, name="people"),
    path("people/<int:pk>/", people.person_edit, name="person_edit"),
    path("invitations/", invitations.invitation_list, name="invitations"),
    path("invitations/<int:pk>/revoke/", invitations.invitation_revoke, name="invitation_revoke"),
    path("invite/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("accounts/preferences/", accounts.preferences, name="preferences"),
    path("i18n/language/", accounts.set_language, name="set_language"),
]
