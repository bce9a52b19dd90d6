-- Developer-experience surveys (docs/surveys.md, docs/sources/survey.md).
--
-- Nothing here identifies a respondent: a form tool's respondent id column is read past and
-- never stored, and the answers are stored as counts per team (how many of a team's answers
-- to a question gave each score) and free-text answers per team in alphabetical order (not
-- the export's order, which could link them to one another). The outputs apply
-- [privacy] min_group_size with complementary suppression (docs/surveys.md).

-- surveys: one row per survey (its id is the mapping's `survey`, by default the file's name).
-- taken_on: the survey's date (headcount for the response rate is read on it); period_start,
-- period_end: the period it speaks of (system metrics beside its themes are read over it).
CREATE TABLE surveys (
    survey_id    VARCHAR PRIMARY KEY,
    taken_on     DATE NOT NULL,
    period_start DATE NOT NULL,
    period_end   DATE NOT NULL,          -- inclusive
    responses    INTEGER NOT NULL,
    file         VARCHAR NOT NULL,
    mapping      VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    loaded_at    TIMESTAMPTZ NOT NULL
);

-- survey_questions: the mapping's questions. kind: likert (scale_min..scale_max), enps (0..10)
-- or text. reverse: agreeing is unfavourable (burnout). theme: what the question speaks of.
CREATE TABLE survey_questions (
    survey_id   VARCHAR NOT NULL,
    question_id VARCHAR NOT NULL,
    position    INTEGER NOT NULL,
    text        VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    scale_min   INTEGER,
    scale_max   INTEGER,
    reverse     BOOLEAN NOT NULL,
    theme       VARCHAR,
    source      VARCHAR NOT NULL,
    loaded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (survey_id, question_id),
    CHECK (kind IN ('likert', 'enps', 'text'))
);

-- survey_team_responses: how many responses came from each team.
CREATE TABLE survey_team_responses (
    survey_id VARCHAR NOT NULL,
    team_id   VARCHAR NOT NULL,
    responses INTEGER NOT NULL,
    source    VARCHAR NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (survey_id, team_id)
);

-- survey_scores: how many of a team's answers to a scored question gave each score.
CREATE TABLE survey_scores (
    survey_id   VARCHAR NOT NULL,
    team_id     VARCHAR NOT NULL,
    question_id VARCHAR NOT NULL,
    score       INTEGER NOT NULL,
    answers     INTEGER NOT NULL,
    source      VARCHAR NOT NULL,
    loaded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (survey_id, team_id, question_id, score)
);

-- survey_comments: free-text answers per team and question, numbered in alphabetical order.
CREATE TABLE survey_comments (
    survey_id   VARCHAR NOT NULL,
    team_id     VARCHAR NOT NULL,
    question_id VARCHAR NOT NULL,
    number      INTEGER NOT NULL,
    answer      VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    loaded_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (survey_id, team_id, question_id, number)
);
