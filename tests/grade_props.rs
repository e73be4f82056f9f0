//! Property tests of the grader: whatever a learner sends, grading never
//! panics, scores stay in [0, 100], and the same answer gets the same grade.

use proptest::prelude::*;
use scalesim::grade::{
    grade_choice, grade_explain, grade_numeric, grade_order, ChoiceOption, ChoiceQuestion, Concept,
    ExplainQuestion, NumericQuestion, OrderQuestion,
};

fn choice(correct: Vec<bool>, multiple: bool) -> ChoiceQuestion {
    ChoiceQuestion {
        solution: String::new(),
        source: String::new(),
        id: "q".into(),
        prompt: "?".into(),
        options: correct
            .into_iter()
            .map(|c| ChoiceOption {
                text: "o".into(),
                correct: c,
                feedback: String::new(),
            })
            .collect(),
        multiple,
        points: 3.0,
    }
}

proptest! {
    #[test]
    fn choice_grades_stay_in_range(correct in prop::collection::vec(any::<bool>(), 1..8),
                                   picks in prop::collection::vec(0usize..10, 0..10),
                                   multiple in any::<bool>()) {
        let q = choice(correct, multiple);
        if let Ok(g) = grade_choice(&q, &picks) {
            prop_assert!((0.0..=100.0).contains(&g.percent()));
            prop_assert_eq!(grade_choice(&q, &picks).unwrap(), g);
        }
    }

    #[test]
    fn numeric_grades_stay_in_range(key in -1e9f64..1e9, text in ".{0,24}", tol in 0f64..100.0) {
        let q = NumericQuestion {
            source: String::new(),
            id: "n".into(), prompt: "?".into(), answer: Some(key), answer_from: None,
            unit: "ms".into(), tolerance: tol, partial: Some(tol * 2.0), solution: String::new(), points: 2.0,
        };
        if let Ok(g) = grade_numeric(&q, key, &text) {
            prop_assert!((0.0..=100.0).contains(&g.percent()));
            prop_assert_eq!(grade_numeric(&q, key, &text).unwrap(), g);
        }
        prop_assert_eq!(grade_numeric(&q, key, &format!("{key} ms")).unwrap().percent(), 100.0);
    }

    #[test]
    fn order_grades_stay_in_range(n in 0usize..7, given in prop::collection::vec(0usize..8, 0..8)) {
        let q = OrderQuestion {
            solution: String::new(), source: String::new(),
            id: "o".into(), prompt: "?".into(), items: (0..n).map(|i| i.to_string()).collect(),
            buckets: Vec::new(), key: Vec::new(), points: 1.0,
        };
        if let Ok(g) = grade_order(&q, &given) {
            prop_assert!((0.0..=100.0).contains(&g.percent()));
        }
        let right: Vec<usize> = (0..n).collect();
        prop_assert_eq!(grade_order(&q, &right).unwrap().percent(), 100.0);
    }

    #[test]
    fn explain_grades_stay_in_range_and_spans_point_at_the_words(text in "\\PC{0,300}") {
        let q = ExplainQuestion {
            samples: Vec::new(), source: String::new(),
            id: "e".into(), prompt: "?".into(), min_words: 3, model_answer: String::new(), points: 2.0,
            concepts: vec![Concept { id: "c".into(), label: "c".into(), phrases: vec!["back off".into(), "jitter".into()], points: 1.0 }],
        };
        if let Ok(g) = grade_explain(&q, &text) {
            prop_assert!((0.0..=100.0).contains(&g.grade.percent()));
            prop_assert_eq!(grade_explain(&q, &text).unwrap(), g.clone());
            for m in &g.matched {
                prop_assert_eq!(&text[m.span.0..m.span.1], m.words.as_str());
            }
        }
    }
}
