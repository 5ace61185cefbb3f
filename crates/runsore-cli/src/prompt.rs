//! The interactive check's prompts in a terminal: one choice, yes/no/not sure, several choices, a
//! checklist to confirm, a number, free text.
//!
//! Habits a runner relies on, each held by a test through a pseudo-terminal
//! (`tests/prompt_pty.rs`): nothing is pre-selected, so Enter out of habit never answers (a "yes"
//! to a safety question would send a runner to the emergency department for nothing); Esc or
//! Backspace goes back to the previous question; Ctrl-C leaves the terminal as it was (keys are
//! read one at a time in raw mode, and the mode is restored before the key is acted on; the
//! cursor is never hidden); every prompt is wrapped to the terminal's width before it is drawn,
//! so redrawing clears exactly the rows it used and long prompts leave no duplicate lines.
//!
//! The key handling is a pure state machine ([`Menu`], [`Checklist`], [`LineEdit`]) so that its
//! rules are unit-tested without a terminal; [`Prompt`] only draws and reads keys.

use std::fmt;

use console::{Key, Term, style};

/// What a prompt returns: an answer, or a step back to the previous question.
#[derive(Debug, Clone, PartialEq)]
pub enum Step<T> {
    /// The runner answered.
    Answer(T),
    /// Esc or Backspace: go back to the previous question.
    Back,
}

/// The runner pressed Ctrl-C: the check stops, nothing is saved.
#[derive(Debug)]
pub struct Interrupted;

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("interrupted: nothing was saved")
    }
}

impl std::error::Error for Interrupted {}

/// What a key did to a prompt's state.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<T> {
    /// Redraw and read the next key.
    Again,
    /// Redraw with this hint under the prompt.
    Hint(&'static str),
    /// Done.
    Done(Step<T>),
}

const PICK_HINT: &str = "choose with the arrow keys (or the letter or number shown), then Enter";

/// One choice among items, with shortcut letters; nothing chosen at first.
#[derive(Debug, Clone)]
pub struct Menu {
    /// The items.
    pub items: Vec<String>,
    /// A shortcut key per item (or none).
    pub keys: Vec<Option<char>>,
    /// The highlighted item; `None` until the runner moves.
    pub cursor: Option<usize>,
}

impl Menu {
    /// A menu whose shortcuts are the items' numbers, 1 to 9.
    pub fn numbered(items: Vec<String>) -> Menu {
        let keys = (0..items.len())
            .map(|i| char::from_digit(i as u32 + 1, 10).filter(|_| i < 9))
            .collect();
        Menu {
            items,
            keys,
            cursor: None,
        }
    }

    /// Applies one key.
    pub fn key(&mut self, key: &Key) -> Outcome<usize> {
        let n = self.items.len();
        match key {
            Key::ArrowDown | Key::Tab | Key::Char('j') => {
                self.cursor = Some(self.cursor.map_or(0, |c| (c + 1) % n));
                Outcome::Again
            }
            Key::ArrowUp | Key::BackTab | Key::Char('k') => {
                self.cursor = Some(self.cursor.map_or(n - 1, |c| (c + n - 1) % n));
                Outcome::Again
            }
            Key::Enter => match self.cursor {
                Some(c) => Outcome::Done(Step::Answer(c)),
                None => Outcome::Hint(PICK_HINT),
            },
            Key::Escape | Key::Backspace | Key::ArrowLeft => Outcome::Done(Step::Back),
            Key::Char(ch) => match self
                .keys
                .iter()
                .position(|k| k.is_some_and(|k| k.eq_ignore_ascii_case(ch)))
            {
                Some(i) => {
                    self.cursor = Some(i);
                    Outcome::Again
                }
                None => Outcome::Hint(PICK_HINT),
            },
            _ => Outcome::Again,
        }
    }
}

/// Several rows, each to be answered yes, no or not sure; none answered at first, and Enter
/// does nothing until every row has an answer.
#[derive(Debug, Clone)]
pub struct Checklist {
    /// The rows.
    pub items: Vec<String>,
    /// Each row's answer: `Some(Some(true))` yes, `Some(Some(false))` no, `Some(None)` not sure.
    pub answers: Vec<Option<Option<bool>>>,
    /// The row the keys act on.
    pub row: usize,
}

const CHECKLIST_HINT: &str = "answer every line: y (yes), n (no) or ? (not sure); arrows move";

impl Checklist {
    /// A checklist with nothing answered.
    pub fn new(items: Vec<String>) -> Checklist {
        let answers = vec![None; items.len()];
        Checklist {
            items,
            answers,
            row: 0,
        }
    }

    /// Applies one key.
    pub fn key(&mut self, key: &Key) -> Outcome<Vec<Option<bool>>> {
        let n = self.items.len();
        let set = |answer: Option<bool>, this: &mut Checklist| {
            this.answers[this.row] = Some(answer);
            // Move on to the next unanswered row, so y n n ? answers four rows.
            if let Some(next) = (1..=n)
                .map(|d| (this.row + d) % n)
                .find(|&r| this.answers[r].is_none())
            {
                this.row = next;
            }
            Outcome::Again
        };
        match key {
            Key::ArrowDown | Key::Tab | Key::Char('j') => {
                self.row = (self.row + 1) % n;
                Outcome::Again
            }
            Key::ArrowUp | Key::BackTab | Key::Char('k') => {
                self.row = (self.row + n - 1) % n;
                Outcome::Again
            }
            Key::Char('y' | 'Y') => set(Some(true), self),
            Key::Char('n' | 'N') => set(Some(false), self),
            Key::Char('?' | 's' | 'S') => set(None, self),
            Key::Enter => {
                if self.answers.iter().all(Option::is_some) {
                    Outcome::Done(Step::Answer(
                        self.answers.iter().map(|a| a.flatten()).collect(),
                    ))
                } else {
                    Outcome::Hint(CHECKLIST_HINT)
                }
            }
            Key::Escape | Key::Backspace | Key::ArrowLeft => Outcome::Done(Step::Back),
            _ => Outcome::Hint(CHECKLIST_HINT),
        }
    }
}

/// Several items, any number picked with Space; Enter confirms (none picked is an answer too).
#[derive(Debug, Clone)]
pub struct Picks {
    /// The items.
    pub items: Vec<String>,
    /// Picked or not.
    pub picked: Vec<bool>,
    /// The highlighted item.
    pub cursor: usize,
    /// An item that stands alone ("none of these"): picking it unpicks the others, and the
    /// other way round.
    pub alone: Option<usize>,
}

impl Picks {
    fn toggle(&mut self, i: usize) {
        self.picked[i] = !self.picked[i];
        if self.picked[i] {
            for j in 0..self.picked.len() {
                if j != i && (Some(i) == self.alone || Some(j) == self.alone) {
                    self.picked[j] = false;
                }
            }
        }
    }

    /// Applies one key.
    pub fn key(&mut self, key: &Key) -> Outcome<Vec<usize>> {
        let n = self.items.len();
        match key {
            Key::ArrowDown | Key::Tab | Key::Char('j') => self.cursor = (self.cursor + 1) % n,
            Key::ArrowUp | Key::BackTab | Key::Char('k') => self.cursor = (self.cursor + n - 1) % n,
            Key::Char(' ') => self.toggle(self.cursor),
            Key::Char(c) => match c.to_digit(10).map(|d| d as usize) {
                Some(d) if (1..=n.min(9)).contains(&d) => {
                    self.cursor = d - 1;
                    self.toggle(d - 1);
                }
                _ => return Outcome::Hint("Space picks or unpicks, Enter confirms"),
            },
            Key::Enter => {
                return Outcome::Done(Step::Answer((0..n).filter(|&i| self.picked[i]).collect()));
            }
            Key::Escape | Key::Backspace | Key::ArrowLeft => return Outcome::Done(Step::Back),
            _ => {}
        }
        Outcome::Again
    }
}

/// A line of text; Backspace on an empty line and Esc go back.
#[derive(Debug, Clone, Default)]
pub struct LineEdit {
    /// The text so far.
    pub text: String,
}

impl LineEdit {
    /// Applies one key.
    pub fn key(&mut self, key: &Key) -> Outcome<String> {
        match key {
            Key::Char(c) if !c.is_control() => {
                // Bounded: a pasted novel is not an answer to one question.
                if self.text.chars().count() < 4000 {
                    self.text.push(*c);
                }
                Outcome::Again
            }
            Key::Backspace if self.text.is_empty() => Outcome::Done(Step::Back),
            Key::Backspace => {
                self.text.pop();
                Outcome::Again
            }
            Key::Escape => Outcome::Done(Step::Back),
            Key::Enter => Outcome::Done(Step::Answer(self.text.trim().to_string())),
            _ => Outcome::Again,
        }
    }
}

/// Wraps `text` into lines of at most `width` columns, breaking at spaces (a word longer than
/// the width is cut).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        // Leading spaces are indentation, kept on the first row.
        let body = para.trim_start_matches(' ');
        let mut line = " ".repeat(para.len() - body.len());
        let mut has_word = false;
        for word in body.split(' ') {
            let w = console::measure_text_width(word);
            let l = console::measure_text_width(&line);
            if has_word && l + 1 + w > width {
                lines.push(std::mem::take(&mut line));
                has_word = false;
            }
            if has_word {
                line.push(' ');
            }
            line.push_str(word);
            has_word = true;
            while console::measure_text_width(&line) > width {
                let cut: String = line.chars().take(width).collect();
                let rest: String = line.chars().skip(width).collect();
                lines.push(cut);
                line = rest;
            }
        }
        lines.push(line);
    }
    lines
}

/// The prompts, drawn on standard error (standard output carries only the result).
pub struct Prompt {
    term: Term,
    /// Rows of each answer's summary line, so that going back erases the last one too.
    answered: std::cell::RefCell<Vec<usize>>,
}

impl Default for Prompt {
    fn default() -> Self {
        Prompt::new()
    }
}

impl Prompt {
    /// Prompts on standard error.
    pub fn new() -> Prompt {
        Prompt {
            term: Term::stderr(),
            answered: std::cell::RefCell::new(Vec::new()),
        }
    }

    fn width(&self) -> usize {
        // One column spare: some terminals wrap when the last column is written.
        self.term
            .size_checked()
            .map_or(80, |(_, cols)| usize::from(cols))
            .saturating_sub(1)
            .clamp(20, 100)
    }

    /// Writes lines (each already narrower than the terminal) and returns the rows used.
    fn draw(&self, lines: &[String]) -> anyhow::Result<usize> {
        let width = self.width();
        let mut rows = 0;
        for line in lines {
            // Continuation rows are indented under the text they continue.
            for (j, l) in wrap(line, width - 4).iter().enumerate() {
                if j == 0 {
                    self.term.write_line(l)?;
                } else {
                    self.term.write_line(&format!("    {l}"))?;
                }
                rows += 1;
            }
        }
        Ok(rows)
    }

    fn read(&self) -> anyhow::Result<Key> {
        match self.term.read_key_raw()? {
            // The key was read in raw mode, which is already undone when it arrives here.
            Key::CtrlC => Err(Interrupted.into()),
            k => Ok(k),
        }
    }

    /// Runs one prompt: draws `render(state, hint)`, applies keys with `apply` until done, then
    /// leaves one line saying what was answered.
    fn run<S, T>(
        &self,
        question: &str,
        state: &mut S,
        render: impl Fn(&S) -> Vec<String>,
        apply: impl Fn(&mut S, &Key) -> Outcome<T>,
        summary: impl Fn(&S, &T) -> String,
    ) -> anyhow::Result<Step<T>> {
        let mut hint: Option<&str> = None;
        loop {
            let mut lines = vec![format!(
                "{} {}",
                style("?").cyan().bold(),
                style(question).bold()
            )];
            lines.extend(render(state));
            lines.push(match hint {
                Some(h) => style(format!("  {h}")).yellow().to_string(),
                None => style("  Esc or Backspace: back · Ctrl-C: stop")
                    .dim()
                    .to_string(),
            });
            let rows = self.draw(&lines)?;
            let key = self.read();
            self.term.clear_last_lines(rows)?;
            match apply(state, &key?) {
                Outcome::Again => hint = None,
                Outcome::Hint(h) => hint = Some(h),
                Outcome::Done(Step::Back) => {
                    if let Some(rows) = self.answered.borrow_mut().pop() {
                        self.term.clear_last_lines(rows)?;
                    }
                    return Ok(Step::Back);
                }
                Outcome::Done(Step::Answer(t)) => {
                    let rows = self.draw(&[format!(
                        "{} {} {}",
                        style("✔").green(),
                        question,
                        style(summary(state, &t)).cyan()
                    )])?;
                    self.answered.borrow_mut().push(rows);
                    return Ok(Step::Answer(t));
                }
            }
        }
    }

    fn menu_lines(menu: &Menu) -> Vec<String> {
        menu.items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let key = menu.keys[i].map(|k| format!("{k}) ")).unwrap_or_default();
                if menu.cursor == Some(i) {
                    format!("{} {key}{}", style("›").cyan().bold(), style(item).cyan())
                } else {
                    format!("  {key}{item}")
                }
            })
            .collect()
    }

    /// One choice among `items`; nothing is chosen until the runner moves or types a number.
    pub fn choose(&self, question: &str, items: &[String]) -> anyhow::Result<Step<usize>> {
        let mut menu = Menu::numbered(items.to_vec());
        self.run(question, &mut menu, Self::menu_lines, Menu::key, |m, &i| {
            m.items[i].clone()
        })
    }

    /// Yes, no or not sure (`None`); nothing is chosen at first, so Enter alone never answers.
    pub fn yes_no(&self, question: &str) -> anyhow::Result<Step<Option<bool>>> {
        let mut menu = Menu {
            items: vec!["yes".into(), "no".into(), "not sure".into()],
            keys: vec![Some('y'), Some('n'), Some('?')],
            cursor: None,
        };
        let step = self.run(question, &mut menu, Self::menu_lines, Menu::key, |m, &i| {
            m.items[i].clone()
        })?;
        Ok(match step {
            Step::Answer(i) => Step::Answer([Some(true), Some(false), None][i]),
            Step::Back => Step::Back,
        })
    }

    /// Any number of `items`, picked with Space; with `none`, a last item that says none of
    /// them applies (its index is `items.len()`), which cannot be picked beside another.
    pub fn choose_many(
        &self,
        question: &str,
        items: &[String],
        none: Option<&str>,
    ) -> anyhow::Result<Step<Vec<usize>>> {
        let mut all = items.to_vec();
        all.extend(none.map(str::to_lowercase));
        let mut picks = Picks {
            picked: vec![false; all.len()],
            alone: none.map(|_| items.len()),
            items: all,
            cursor: 0,
        };
        self.run(
            question,
            &mut picks,
            |p| {
                let mut lines: Vec<String> = p
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let mark = if p.picked[i] { "[x]" } else { "[ ]" };
                        let pointer = if p.cursor == i { "›" } else { " " };
                        format!("{pointer} {mark} {}) {item}", i + 1)
                    })
                    .collect();
                lines.push(
                    style("  Space picks, Enter confirms (nothing picked: not sure, skip)")
                        .dim()
                        .to_string(),
                );
                lines
            },
            Picks::key,
            |p, picked| {
                if picked.is_empty() {
                    "not sure".into()
                } else {
                    picked
                        .iter()
                        .map(|&i| p.items[i].as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            },
        )
    }

    /// Every row answered yes, no or not sure; none pre-answered.
    pub fn checklist(
        &self,
        question: &str,
        items: &[String],
    ) -> anyhow::Result<Step<Vec<Option<bool>>>> {
        let mut list = Checklist::new(items.to_vec());
        self.run(
            question,
            &mut list,
            |c| {
                c.items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let mark = match c.answers[i] {
                            None => "  ·  ".to_string(),
                            Some(Some(true)) => style(" yes ").red().bold().to_string(),
                            Some(Some(false)) => style(" no  ").green().to_string(),
                            Some(None) => style(" ?   ").yellow().to_string(),
                        };
                        let pointer = if c.row == i { "›" } else { " " };
                        format!("{pointer} [{mark}] {item}")
                    })
                    .chain(std::iter::once(
                        style(
                            "  y yes · n no · ? not sure · arrows move · Enter when all answered",
                        )
                        .dim()
                        .to_string(),
                    ))
                    .collect()
            },
            Checklist::key,
            |_, answers| {
                // Every answer counted, so "no" to all reads as ruled out, not as nothing done.
                let count = |want: Option<bool>| answers.iter().filter(|a| **a == want).count();
                let mut summary = format!(
                    "{} confirmed, {} ruled out",
                    count(Some(true)),
                    count(Some(false))
                );
                if count(None) > 0 {
                    summary.push_str(&format!(", {} not sure", count(None)));
                }
                summary
            },
        )
    }

    /// A line of free text (empty is an answer: "nothing to add").
    pub fn text(&self, question: &str, hint: &str) -> anyhow::Result<Step<String>> {
        let mut edit = LineEdit::default();
        let hint = hint.to_string();
        self.run(
            question,
            &mut edit,
            |e| {
                vec![
                    style(format!("  {hint}")).dim().to_string(),
                    format!("{} {}_", style("›").cyan(), e.text),
                ]
            },
            LineEdit::key,
            |_, t| {
                if t.is_empty() {
                    "skipped".into()
                } else {
                    let short: String = t.chars().take(60).collect();
                    if short.len() < t.len() {
                        format!("{short}...")
                    } else {
                        short
                    }
                }
            },
        )
    }

    /// A number from `min` to `max`, or empty to skip (`None`).
    pub fn number(&self, question: &str, min: f64, max: f64) -> anyhow::Result<Step<Option<f64>>> {
        loop {
            match self.text(question, "a number, or Enter to skip")? {
                Step::Back => return Ok(Step::Back),
                Step::Answer(t) if t.is_empty() => return Ok(Step::Answer(None)),
                Step::Answer(t) => match t.replace(',', ".").parse::<f64>() {
                    Ok(v) if v.is_finite() && (min..=max).contains(&v) => {
                        return Ok(Step::Answer(Some(v)));
                    }
                    _ => {
                        // The rejected answer's line goes; the message stays above the retry.
                        if let Some(rows) = self.answered.borrow_mut().pop() {
                            self.term.clear_last_lines(rows)?;
                        }
                        self.term.write_line(
                            &style(format!(
                                "  type a number from {min} to {max}, or leave it empty"
                            ))
                            .yellow()
                            .to_string(),
                        )?;
                    }
                },
            }
        }
    }

    /// A line of information (not a question).
    pub fn say(&self, text: &str) -> anyhow::Result<()> {
        self.draw(&[text.to_string()])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn none_of_these_stands_alone() {
        let mut p = Picks {
            items: vec![
                "statin".into(),
                "blood thinner".into(),
                "none of these".into(),
            ],
            picked: vec![false; 3],
            cursor: 0,
            alone: Some(2),
        };
        for k in ['1', '2'] {
            assert!(matches!(p.key(&Key::Char(k)), Outcome::Again));
        }
        assert_eq!(p.picked, [true, true, false]);
        p.key(&Key::Char('3'));
        assert_eq!(p.picked, [false, false, true], "none unpicks the others");
        p.key(&Key::Char('1'));
        assert_eq!(p.picked, [true, false, false], "a medicine unpicks none");
        p.key(&Key::Char('1'));
        p.key(&Key::Char('3'));
        match p.key(&Key::Enter) {
            Outcome::Done(Step::Answer(v)) => assert_eq!(v, [2]),
            _ => panic!("Enter answers"),
        }
    }

    #[test]
    fn enter_before_any_choice_does_not_answer() {
        let mut m = Menu::numbered(vec!["during the run".into(), "next day".into()]);
        assert_eq!(m.key(&Key::Enter), Outcome::Hint(PICK_HINT));
        assert_eq!(m.key(&Key::ArrowDown), Outcome::Again);
        assert_eq!(m.key(&Key::Enter), Outcome::Done(Step::Answer(0)));
        let mut m = Menu::numbered(vec!["a".into(), "b".into(), "c".into()]);
        m.key(&Key::ArrowUp);
        assert_eq!(m.key(&Key::Enter), Outcome::Done(Step::Answer(2)));
        m.key(&Key::Char('2'));
        assert_eq!(m.key(&Key::Enter), Outcome::Done(Step::Answer(1)));
        assert_eq!(m.key(&Key::Escape), Outcome::Done(Step::Back));
        assert_eq!(m.key(&Key::Backspace), Outcome::Done(Step::Back));
    }

    #[test]
    fn a_checklist_needs_every_line_answered_and_starts_unticked() {
        let mut c = Checklist::new(vec!["numb".into(), "dark urine".into(), "fever".into()]);
        assert_eq!(c.key(&Key::Enter), Outcome::Hint(CHECKLIST_HINT));
        c.key(&Key::Char('n'));
        c.key(&Key::Char('y'));
        assert_eq!(c.key(&Key::Enter), Outcome::Hint(CHECKLIST_HINT));
        c.key(&Key::Char('?'));
        assert_eq!(
            c.key(&Key::Enter),
            Outcome::Done(Step::Answer(vec![Some(false), Some(true), None]))
        );
        // Corrected: back to the first line, now yes.
        c.key(&Key::ArrowDown);
        c.key(&Key::Char('y'));
        assert_eq!(
            c.key(&Key::Enter),
            Outcome::Done(Step::Answer(vec![Some(true), Some(true), None]))
        );
    }

    #[test]
    fn backspace_edits_then_goes_back() {
        let mut e = LineEdit::default();
        e.key(&Key::Char('4'));
        assert_eq!(e.key(&Key::Backspace), Outcome::Again);
        assert_eq!(e.key(&Key::Backspace), Outcome::Done(Step::Back));
    }

    #[test]
    fn long_prompts_wrap_within_the_width() {
        let text = "Have you noticed any numbness or tingling between your legs, around your \
                    bottom or genitals, where you would sit on a saddle?";
        let lines = wrap(text, 40);
        assert!(lines.len() >= 3);
        assert!(lines.iter().all(|l| console::measure_text_width(l) <= 40));
        assert_eq!(lines.join(" "), text);
    }
}
