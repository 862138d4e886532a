"""The answers of the Ocean web services as msgspec Structs: the only place that spells their keys.

One module per service (``duree`` for ``GET /restapi/dioUtilisation/duree``). This
package imports nothing, so that importing one schema loads only msgspec.
"""
