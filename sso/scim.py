"""SCIM 2.0 (RFC 7643/7644) provisioning of one organisation's people, on scim2-models.

The bearer token (hashed at rest, issued on the admin's SSO page) names the organisation.
POST creates, PUT replaces, PATCH changes (``active: false`` deactivates), DELETE removes the
account as account deletion does. Discovery endpoints describe the User resource only.

What we keep of a person is less than the core User schema: userName, name (given and family),
one e-mail address, active and externalId. /Schemas publishes exactly that (`StoredUser`) and
answers carry exactly that, so a client adds, replaces and removes what it reads back. Requests
are read with the full core User model, so the rest of what identity providers send (titles,
phone numbers, an e-mail's type or primary flag, extension attributes) is accepted and
ignored, and PATCH paths that name it (Entra's ``emails[type eq "work"].value``) still work."""

import json
from typing import Annotated, ClassVar

from django.db import IntegrityError
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from pydantic import EmailStr, ValidationError
from scim2_models import (
    URN,
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    ComplexAttribute,
    Context,
    Email,
    EnterpriseUser,
    Error,
    ETag,
    Filter,
    ListResponse,
    Meta,
    Name,
    Patch,
    PatchOp,
    Required,
    Resource,
    ResourceType,
    ResponseParameters,
    Schema,
    SearchRequest,
    ServiceProviderConfig,
    Sort,
    Uniqueness,
    User,
)

from sso import services
from sso.models import ScimExternalId, SsoConnection
from teams.models import User as Person

CONTENT_TYPE = "application/scim+json"
MAX_RESULTS = 200
# What requests are read with: the core User and the enterprise extension (department,
# employeeNumber, manager...), which Entra ID's default attribute mappings send.
FullUser = User[EnterpriseUser]


class StoredName(ComplexAttribute):
    family_name: str | None = None
    """The family name of the User."""

    given_name: str | None = None
    """The given name of the User."""


class StoredEmail(ComplexAttribute):
    value: EmailStr | None = None
    """The User's work e-mail address; one is kept."""


class StoredUser(Resource):
    """User Account"""

    __schema__ = URN("urn:ietf:params:scim:schemas:core:2.0:User")

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    """Unique identifier for the User, typically used by the user to directly
    authenticate to the service provider."""

    name: StoredName | None = None
    """The components of the user's real name."""

    Name: ClassVar[type[ComplexAttribute]] = StoredName

    # Required: an account is always either in use or switched off; a create without it
    # means in use (the full model reads requests, so leaving it out is still accepted).
    active: Annotated[bool | None, Required.true] = None
    """A Boolean value indicating the User's administrative status."""

    emails: list[StoredEmail] | None = None
    """Email addresses for the user."""

    Emails: ClassVar[type[ComplexAttribute]] = StoredEmail


def _json(payload: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(payload), status=status, content_type=CONTENT_TYPE)


def _error(status: int, detail: str, scim_type: str | None = None) -> HttpResponse:
    error = Error(status=status, detail=detail, scim_type=scim_type)
    return _json(error.model_dump(), status=status)


def _connection(request) -> SsoConnection | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    token_hash = services.hash_token(token.strip())
    return (
        SsoConnection.objects.select_related("organization")
        .filter(scim_token_hash=token_hash)
        .first()
    )


def _location(request, person: Person) -> str:
    return request.build_absolute_uri(reverse("sso:scim_user", args=[person.pk]))


def _resource(request, person: Person) -> StoredUser:
    """The person as answered: only what is kept, nothing empty."""
    has_name = person.first_name or person.last_name
    return StoredUser(
        id=str(person.pk),
        user_name=person.username,
        name=StoredName(given_name=person.first_name or None, family_name=person.last_name or None)
        if has_name
        else None,
        emails=[StoredEmail(value=person.email)] if person.email else None,
        active=person.is_active,
        external_id=_external_id(person),
        meta=Meta(
            resource_type="User",
            created=person.date_joined,
            last_modified=person.date_joined,
            location=_location(request, person),
        ),
    )


def _patchable(person: Person) -> FullUser:
    """The person in the full core model, for a PATCH to apply to: the one e-mail address is
    the primary work address, as the identity providers' filters name it."""
    return FullUser(
        id=str(person.pk),
        user_name=person.username,
        name=Name(given_name=person.first_name or None, family_name=person.last_name or None),
        emails=[Email(value=person.email, type="work", primary=True)] if person.email else None,
        active=person.is_active,
        external_id=_external_id(person),
    )


def _external_id(person: Person) -> str | None:
    try:
        return person.scim_external_id.external_id
    except ScimExternalId.DoesNotExist:
        return None


def _parameters(request) -> ResponseParameters | None:
    values = {
        "attributes": request.GET.get("attributes") or None,
        "excludedAttributes": request.GET.get("excludedAttributes") or None,
    }
    try:
        return ResponseParameters[StoredUser].model_validate(values)
    except (ValueError, ValidationError) as exc:
        raise _Invalid(str(exc)[:300]) from None


def _dump(request, person: Person, ctx: Context) -> dict:
    resource = _resource(request, person)
    return resource.model_dump(scim_ctx=ctx, response_parameters=_parameters(request))


def _fields(user: FullUser) -> dict:
    emails = user.emails or []
    primary = next((e for e in emails if e.primary), emails[0] if emails else None)
    return {
        "user_name": user.user_name,
        "email": str(primary.value) if primary and primary.value else "",
        "first_name": (user.name.given_name if user.name else None) or "",
        "last_name": (user.name.family_name if user.name else None) or "",
        "active": True if user.active is None else bool(user.active),
        "external_id": user.external_id or "",
    }


def _parse(request, ctx: Context, model=FullUser):
    try:
        return model.model_validate(json.loads(request.body or b"{}"), scim_ctx=ctx)
    except (ValueError, ValidationError) as exc:
        raise _Invalid(str(exc)[:300]) from None


class _Invalid(Exception):
    pass


def _scim(view):
    """Bearer authentication and SCIM errors for every SCIM endpoint."""

    @csrf_exempt
    def wrapped(request, *args, **kwargs):
        connection = _connection(request)
        if connection is None:
            return _error(401, "A valid bearer token is required.")
        try:
            return view(request, connection, *args, **kwargs)
        except _Invalid as exc:
            return _error(400, str(exc), "invalidValue")
        except IntegrityError:
            return _error(409, "userName or e-mail is already in use.", "uniqueness")

    return wrapped


def _people(connection: SsoConnection):
    people = Person.objects.filter(organization=connection.organization_id)
    return people.select_related("scim_external_id").order_by("pk")


def _user_name_filter(text: str) -> str | None:
    """The value of the one filter provisioning clients send: userName eq "value"."""
    parts = text.split(None, 2)
    if len(parts) == 3 and parts[0].lower() == "username" and parts[1].lower() == "eq":
        return parts[2].strip().strip('"')
    return None


@_scim
def users(request, connection):
    if request.method == "POST":
        fields = _fields(_parse(request, Context.RESOURCE_CREATION_REQUEST))
        if _people(connection).filter(username__iexact=fields["user_name"]).exists():
            return _error(409, "userName is already in use.", "uniqueness")
        person = services.scim_user_create(connection=connection, **fields)
        response = _json(_dump(request, person, Context.RESOURCE_CREATION_RESPONSE), 201)
        response["Location"] = _location(request, person)
        return response
    if request.method != "GET":
        return _error(405, "Method not allowed.")
    return _listing(
        request,
        connection,
        filter_text=request.GET.get("filter"),
        start=request.GET.get("startIndex", 1),
        count=request.GET.get("count", MAX_RESULTS),
        parameters=_parameters(request),
    )


@_scim
def search(request, connection):
    if request.method != "POST":
        return _error(405, "Method not allowed.")
    search_request = _parse(request, Context.SEARCH_REQUEST, SearchRequest[FullUser])
    return _listing(
        request,
        connection,
        filter_text=str(search_request.filter) if search_request.filter else None,
        start=search_request.start_index or 1,
        count=search_request.count if search_request.count is not None else MAX_RESULTS,
        parameters=search_request,
    )


@_scim
def not_found(request, connection, rest: str = ""):
    return _error(404, "No such endpoint.")


def _listing(request, connection, *, filter_text, start, count, parameters):
    people = _people(connection)
    if filter_text:
        user_name = _user_name_filter(filter_text)
        if user_name is None:
            return _error(400, "Only userName eq filters are supported.", "invalidFilter")
        people = people.filter(username__iexact=user_name)
    try:
        start = max(int(start), 1)
        count = min(max(int(count), 0), MAX_RESULTS)
    except (TypeError, ValueError):
        return _error(400, "startIndex and count must be numbers.", "invalidValue")
    page = list(people[start - 1 : start - 1 + count])
    listing = ListResponse[StoredUser](
        total_results=people.count(),
        start_index=start,
        items_per_page=len(page),
        resources=[_resource(request, person) for person in page],
    )
    dumped = listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=parameters)
    return _json(dumped)


def _reread(connection, person: Person) -> Person:
    """The person as stored after a change (the externalId read before may be gone)."""
    return _people(connection).get(pk=person.pk)


@_scim
def user(request, connection, pk: int):
    person = _people(connection).filter(pk=pk).first()
    if person is None:
        return _error(404, "No such user.")
    if request.method == "GET":
        return _json(_dump(request, person, Context.RESOURCE_QUERY_RESPONSE))
    if request.method == "PUT":
        fields = _fields(_parse(request, Context.RESOURCE_REPLACEMENT_REQUEST))
        services.scim_user_update(connection=connection, user=person, **fields)
        return _json(
            _dump(request, _reread(connection, person), Context.RESOURCE_REPLACEMENT_RESPONSE)
        )
    if request.method == "PATCH":
        patch = _parse(request, Context.RESOURCE_PATCH_REQUEST, PatchOp[FullUser])
        resource = _patchable(person)
        try:
            patch.patch(resource)
        except (ValueError, ValidationError) as exc:
            raise _Invalid(str(exc)[:300]) from None
        services.scim_user_update(connection=connection, user=person, **_fields(resource))
        return _json(_dump(request, _reread(connection, person), Context.RESOURCE_PATCH_RESPONSE))
    if request.method == "DELETE":
        services.scim_user_delete(connection=connection, user=person)
        return HttpResponse(status=204)
    return _error(405, "Method not allowed.")


def _config() -> ServiceProviderConfig:
    return ServiceProviderConfig(
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="OAuth Bearer Token",
                description="The token from the organisation's single sign-on page.",
                primary=True,
            )
        ],
    )


def _resource_type(request) -> ResourceType:
    resource_type = ResourceType.from_resource(StoredUser)
    resource_type.endpoint = "/Users"
    return resource_type


@_scim
def service_provider_config(request, connection):
    if request.method != "GET":
        return _error(405, "Method not allowed.")
    return _json(_config().model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@_scim
def resource_types(request, connection, name: str | None = None):
    if request.method != "GET":
        return _error(405, "Method not allowed.")
    resource_type = _resource_type(request)
    if name is not None:
        if name != "User":
            return _error(404, "No such resource type.")
        return _json(resource_type.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    listing = ListResponse[ResourceType](
        total_results=1, start_index=1, items_per_page=1, resources=[resource_type]
    )
    return _json(listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE))


@_scim
def schemas(request, connection, schema_id: str | None = None):
    if request.method != "GET":
        return _error(405, "Method not allowed.")
    schema = StoredUser.to_schema()
    schema.name = "User"
    if schema_id is not None:
        if schema_id != schema.id:
            return _error(404, "No such schema.")
        return _json(schema.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    listing = ListResponse[Schema](
        total_results=1, start_index=1, items_per_page=1, resources=[schema]
    )
    return _json(listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE))
