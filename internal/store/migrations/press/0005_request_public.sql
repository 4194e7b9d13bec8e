-- The question as published (docs/information-desk.md, "What is public,
-- what is personal"): staff may take personal data out of a question
-- before its answer is published. request.question is then the edited
-- text, the one every page shows (the asker's tracking page too, so a
-- forwarded link shows no more); question_asked keeps the question as
-- the asker wrote it, for the office's record. NULL while never edited.
ALTER TABLE request ADD COLUMN question_asked TEXT;
