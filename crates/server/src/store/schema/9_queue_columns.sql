-- The review queue's columns: the listed party behind each customer's strongest alerting match, as JSON
-- ({"party", "list_name", "entity_id", "correlation"}), written with `top_score`.
ALTER TABLE customers ADD COLUMN top_match TEXT;
UPDATE customers SET top_match = (
    SELECT json_object(
        'party', json_extract(m.value, '$.entity.name'),
        'list_name', json_extract(m.value, '$.list_name'),
        'entity_id', json_extract(m.value, '$.entity_id'),
        'correlation', json_extract(m.value, '$.correlation'))
    FROM screenings s, json_each(s.result, '$.matches') m
    WHERE s.id = customers.review_id AND json_extract(m.value, '$.previously_cleared') IS NULL
    ORDER BY CAST(m.key AS INTEGER)
    LIMIT 1)
WHERE top_score IS NOT NULL;
