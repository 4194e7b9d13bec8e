-- Correction notes in both languages, and the text alternative of images.

-- A revision's note is written in Indonesian (note) and in English
-- (note_en). A revision made before this migration, or by the system, has
-- one note for both languages: note_en is empty and readers of either
-- language see note.
ALTER TABLE post_revision ADD COLUMN note_en TEXT NOT NULL DEFAULT '';

-- An image attachment's alt text, per language; empty for PDFs and for
-- images attached before alt text was asked for.
ALTER TABLE attachment ADD COLUMN alt_id TEXT NOT NULL DEFAULT '';
ALTER TABLE attachment ADD COLUMN alt_en TEXT NOT NULL DEFAULT '';
