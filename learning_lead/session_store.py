"""Sessions read from Redis and written through to PostgreSQL (Django's ``cached_db``), for a
Redis that may be away for a moment (a Sentinel failover, docs/topology.md).

PostgreSQL holds the truth; Redis a copy, so that a page costs no session query. While Redis
cannot be reached:

- **Reading** falls back to the database, and writes no copy: the person stays signed in.
- **Saving** a changed session writes the database; the copy is updated when Redis answers,
  and skipped otherwise (as Django does since 5.1). An older copy may then come back with the
  replica Sentinel promotes: at worst a sign-in flow in progress starts over. Signing in or
  changing a password makes a new session key, so no copy of the old one can stand for it.
- **Ending** a session (signing out, account deletion, SCIM deactivation) removes the copy
  first and must reach Redis: otherwise the copy, kept on the replica, would come back after
  the failover and undo the sign-out. Unreachable, it raises before anything is deleted and
  the request answers 503 ("try again in a moment", ``learning_lead.views.server_error``);
  the session is left as it was, since Django saves no session on a 5xx answer.
"""

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore

from learning_lead import redis_cache


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except redis_cache.UNREACHABLE as error:
            redis_cache.unreachable(error)
            return self._from_database(keep_copy=False)
        if data is not None:
            return data
        return self._from_database(keep_copy=True)

    def _from_database(self, *, keep_copy: bool) -> dict:
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        if keep_copy:
            self._keep_copy(data, self.get_expiry_age(expiry=row.expire_date))
        return data

    def _keep_copy(self, data: dict, age: int) -> None:
        try:
            self._cache.set(self.cache_key, data, age)
        except redis_cache.UNREACHABLE as error:
            redis_cache.unreachable(error)

    def exists(self, session_key):
        if session_key:
            try:
                if (self.cache_key_prefix + session_key) in self._cache:
                    return True
            except redis_cache.UNREACHABLE as error:
                redis_cache.unreachable(error)
        return DatabaseStore.exists(self, session_key)

    def save(self, must_create=False):
        DatabaseStore.save(self, must_create)
        self._keep_copy(self._session, self.get_expiry_age())

    def delete(self, session_key=None):
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        key = self.cache_key_prefix + session_key
        self._cache.delete(key)  # must answer: raises while Redis is away
        DatabaseStore.delete(self, session_key)
        try:
            # Again: a request of the same person may have copied the row back in between.
            self._cache.delete(key)
        except redis_cache.UNREACHABLE as error:
            redis_cache.unreachable(error)
