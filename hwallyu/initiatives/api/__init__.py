"""REST API of strategic initiatives under /api/v1/initiatives.

* ``/`` and ``/{id}``: initiatives (list, register, read, change; ended through ``status``);
* ``/{id}/{part}`` and ``/{id}/{part}/{item_id}`` for milestones, criteria (review readiness),
  partners, targets, budget, events and institutions; ``/{id}/contacts``, ``/{id}/meetings``
  and ``/{id}/institution-contacts`` for the logs of a partner or an institution (created under
  ``/{id}/partners/{partner_id}/contacts`` …): list, create, read, change, delete;
* ``/{id}/milestones/{item_id}/complete`` and ``/{id}/partners/{item_id}/state``: the actions
  whose rules need evidence (upload the document first with ``/{id}/documents``);
* ``/{id}/documents`` (multipart upload, list, read, file, delete), ``/{id}/report?format=``,
  ``/{id}/summary``, ``/portfolio`` and ``/trends``.

Choice values are accepted as codes or Korean labels ("loi" or "참여의향서"); money is whole won.
Every write goes through the services: the same rules and the same audit rows as the pages.
"""

from hwallyu.initiatives.api import initiatives, parts, records
from hwallyu.initiatives.api.base import router

__all__ = ["initiatives", "parts", "records", "router"]
