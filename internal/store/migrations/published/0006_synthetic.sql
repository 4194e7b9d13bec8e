-- A release made from generated data (the demo, or files from `portal
-- generate` aggregated with --synthetic) says so, and so does the run that
-- made it: every surface marks such a release, and a data folder holding
-- one never takes real files on top of it, nor the reverse
-- (docs/interface.md, "Demo data").
ALTER TABLE release ADD COLUMN synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1));
ALTER TABLE run ADD COLUMN synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1));
-- Before this migration only the demo load (trigger 'demo') aggregated
-- generated data into a data folder, always as the folder's first run. Its
-- run is synthetic, and so are its release and every later one: a release
-- holds everything aggregated before it, so files aggregated on top of the
-- demo published demo rows with theirs. Every other release stays real.
UPDATE run SET synthetic = 1 WHERE trigger = 'demo';
UPDATE release SET synthetic = 1
    WHERE number >= (SELECT min(release) FROM run WHERE trigger = 'demo' AND release IS NOT NULL);
