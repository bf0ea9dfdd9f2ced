-- A notification the webhook took (it answered 2xx): nothing left to send.
DELETE FROM alert_delivery WHERE delivery_id = :delivery_id AND target = :target
