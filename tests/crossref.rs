//! The scenario web on the bundled notes: every scenario the seed states reaches the "when to
//! use what" page, its answer links to a section that exists, and no ELI5 prose is taken.

#[path = "support/shared.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::Path;
use studysite::Content;
use studysite::{BuildOptions, Config};

fn build(path: &Path) -> (BTreeMap<String, String>, Vec<String>) {
    let config = Config::load(&BuildOptions {
        path: path.to_path_buf(),
        ..Default::default()
    })
    .unwrap_or_else(|d| panic!("{d:?}"));
    let built = studysite::build(&config).unwrap();
    let files = built
        .files
        .into_iter()
        .filter(|(k, _)| k.ends_with(".html") || k == DECK)
        .map(|(k, v)| match v {
            Content::Bytes(b) => (k, String::from_utf8(b.to_vec()).unwrap()),
            Content::Copy(p) => (k, std::fs::read_to_string(p).unwrap()),
            Content::Written { .. } => unreachable!("an in-memory build writes nothing"),
        })
        .collect();
    (files, built.report.diagnostics())
}

/// The deck the flashcards, quiz and review pages load.
const DECK: &str = "static/study/deck.js";

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&amp;", "&")
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out).trim().to_string()
}

/// Every `<tag class="class" ...>...</tag>` chunk (not nested in itself).
fn chunks<'a>(html: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(s) = rest.find(open) {
        let body = s + open.len();
        let e = rest[body..]
            .find(close)
            .map_or(rest.len(), |e| body + e + close.len());
        out.push(&rest[s..e]);
        rest = &rest[e..];
    }
    out
}

fn hrefs(html: &str) -> Vec<String> {
    chunks(html, "href=\"", "\"")
        .iter()
        .map(|h| unescape(&h[6..h.len() - 1]))
        .collect()
}

#[derive(Debug)]
struct Entry {
    scenario: String,
    answer: String,
    answer_links: Vec<String>,
    source: String,
}

fn entries(page: &str) -> Vec<Entry> {
    chunks(page, "<li class=\"wtu-entry\"", "</li>")
        .into_iter()
        .map(|li| {
            let answer_html = chunks(li, "<span class=\"wtu-answer\">", "</span>")[0];
            let source = chunks(li, "<a class=\"wtu-source\"", "</a>")[0];
            Entry {
                scenario: strip_tags(chunks(li, "<span class=\"wtu-scenario\">", "</span>")[0]),
                answer: strip_tags(answer_html),
                answer_links: hrefs(answer_html),
                source: hrefs(source)[0].clone(),
            }
        })
        .collect()
}

/// The target file holds the anchor (links are relative to the site root here).
fn assert_resolves(files: &BTreeMap<String, String>, href: &str, what: &str) {
    let (path, anchor) = href.split_once('#').unwrap_or((href, ""));
    let page = files
        .get(path)
        .unwrap_or_else(|| panic!("{what}: `{href}` points to no page"));
    if !anchor.is_empty() {
        assert!(
            page.contains(&format!("id=\"{anchor}\"")),
            "{what}: `{href}`: no element with id `{anchor}` in {path}"
        );
    }
}

const SEED: &[(&str, &str)] = &[
    // The four "Exam tip" scenario questions (01-inference-options.md).
    (
        "Intermittent traffic, minimize cost",
        "Serverless Inference",
    ),
    ("Large images, processing takes minutes", "Async Inference"),
    ("Score entire dataset nightly", "Batch Transform"),
    ("Sub-second response for API", "Real-Time Inference"),
    // The Quick Reference table (10-quick-reference.md).
    ("ML-specific CI/CD pipeline", "SageMaker Pipelines"),
    ("General CI/CD", "CodePipeline + CodeBuild + CodeDeploy"),
    ("React to AWS events", "EventBridge"),
    ("Visual workflow with AWS services", "Step Functions"),
    ("Python DAG-based workflows", "MWAA (Airflow)"),
    ("Define infra as YAML", "CloudFormation"),
    ("Define infra as code (Python/TS)", "CDK"),
    ("Store Docker images", "ECR"),
    ("Run containers (simple)", "ECS + Fargate"),
    ("Run containers (Kubernetes)", "EKS"),
    ("Batch processing jobs", "AWS Batch"),
    ("Deploy to edge devices", "SageMaker Neo + IoT Greengrass"),
    ("Data lake governance", "Lake Formation"),
    ("A/B test models", "Production Variants"),
    ("Gradual traffic shift", "Canary / Linear deployment"),
    ("Zero-risk model comparison", "Shadow testing"),
    // The Lake Formation tip, the Pipelines tip and the Lambda trap.
    (
        "When the question asks about fine-grained access control for a data lake",
        "Lake Formation",
    ),
    (
        "the question asks about ML-specific CI/CD or automated retraining workflows",
        "SageMaker Pipelines",
    ),
    (
        "Process a 2 GB file in Lambda",
        "IMPOSSIBLE. Use ECS/Fargate or SageMaker Processing",
    ),
    // The Best For column of the inference table.
    ("Production APIs, interactive apps", "Real-Time"),
    ("Intermittent traffic, cost-sensitive", "Serverless"),
    ("Large payloads, long processing", "Async"),
    ("Offline predictions, whole datasets", "Batch Transform"),
    (
        "Multi-step: preprocess → predict → postprocess",
        "Inference Pipeline",
    ),
];

/// The seed's developer tools table (`| Service | Purpose |`): what each tool is for is a
/// need, and the tool its choice. Not among the 28 above, which its tips and tables state.
const SEED_TOOLS: &[(&str, &str)] = &[
    ("Git repository (AWS managed)", "CodeCommit"),
    (
        "Build and test (compile, run tests, create container)",
        "CodeBuild",
    ),
    ("Deploy to EC2, ECS, Lambda", "CodeDeploy"),
    ("Orchestrate the full CI/CD pipeline", "CodePipeline"),
];

#[test]
fn when_to_use_what_holds_every_seed_scenario() {
    let (files, diags) = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let page = &files["when-to-use-what.html"];
    let found = entries(page);
    for (scenario, answer) in SEED.iter().chain(SEED_TOOLS) {
        let e = found
            .iter()
            .find(|e| e.scenario == *scenario)
            .unwrap_or_else(|| panic!("missing scenario `{scenario}`"));
        assert_eq!(e.answer, *answer, "answer to `{scenario}`");
        assert!(!e.answer_links.is_empty(), "`{answer}` links nowhere");
        for href in &e.answer_links {
            assert_resolves(&files, href, answer);
        }
        assert_resolves(&files, &e.source, scenario);
    }
    let extra: Vec<&str> = found
        .iter()
        .map(|e| e.scenario.as_str())
        .filter(|s| !SEED.iter().chain(SEED_TOOLS).any(|(x, _)| x == s))
        .collect();
    assert!(
        extra.is_empty(),
        "scenarios the seed does not state: {extra:?}"
    );
    let unlinked: Vec<&String> = diags
        .iter()
        .filter(|d| d.contains("no note defines"))
        .collect();
    assert!(unlinked.is_empty(), "{unlinked:?}");
}

#[test]
fn each_part_of_an_answer_links() {
    let (files, _) = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let found = entries(&files["when-to-use-what.html"]);
    let links = |s: &str| {
        found
            .iter()
            .find(|e| e.scenario == s)
            .unwrap()
            .answer_links
            .len()
    };
    assert_eq!(links("Run containers (simple)"), 2);
    assert_eq!(links("Gradual traffic shift"), 2);
    assert_eq!(links("Process a 2 GB file in Lambda"), 2);
    assert_eq!(links("Python DAG-based workflows"), 1);
}

#[test]
fn no_eli5_sentence_becomes_a_scenario() {
    let (files, _) = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let mut eli5 = String::new();
    for html in files.values() {
        for aside in chunks(html, "<aside class=\"callout callout-eli5\"", "</aside>") {
            assert!(
                !aside.contains("id=\"sc-"),
                "a scenario inside an ELI5: {aside}"
            );
            eli5.push_str(&strip_tags(aside));
        }
    }
    assert!(
        eli5.contains("Real-Time is always on"),
        "the ELI5 callouts were not found"
    );
    for e in entries(&files["when-to-use-what.html"]) {
        assert!(
            !eli5.contains(&e.scenario),
            "ELI5 text became a scenario: {}",
            e.scenario
        );
    }
}

#[test]
fn answered_sections_list_their_scenarios_and_study_pages_exist() {
    let (files, _) = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let lake = &files["03-mlops-deployment/09-governance.html"];
    let boxes = chunks(lake, "<aside class=\"backlinks\"", "</aside>");
    assert!(
        !boxes.is_empty(),
        "no backlinks box on the Lake Formation page"
    );
    for href in hrefs(boxes[0]) {
        let target = if href.starts_with('#') {
            format!("03-mlops-deployment/09-governance.html{href}")
        } else if href.contains('/') {
            href.trim_start_matches("../").to_string()
        } else {
            format!("03-mlops-deployment/{href}")
        };
        assert_resolves(&files, &target, "backlink");
    }
    assert!(
        files["flashcards.html"].contains(DECK)
            && files[DECK].contains("Process a 2 GB file in Lambda")
    );
    let cram = &files["cram-sheet.html"];
    for part in [
        "ECS vs EKS vs Batch",
        "CloudFormation vs CDK",
        "Lake Formation",
        "Scenario tables",
    ] {
        assert!(cram.contains(part), "cram sheet lacks {part}");
    }
    for page in [
        "when-to-use-what.html",
        "flashcards.html",
        "cram-sheet.html",
    ] {
        assert!(
            files["index.html"].contains(&format!("href=\"{page}\"")),
            "nav lacks {page}"
        );
    }
}

#[test]
fn databricks_corpus_tables_make_sensible_scenarios() {
    let Some(corpus) = support::shared("corpora/databricks-cert-guide") else {
        return;
    };
    let (files, _) = build(&corpus);
    for e in entries(&files["when-to-use-what.html"]) {
        assert!(
            !e.scenario.is_empty() && !e.answer.is_empty(),
            "{}",
            e.scenario
        );
        // Flows and file moves written as lists are not scenarios.
        assert!(
            !e.scenario.starts_with('`'),
            "a path: {} -> {}",
            e.scenario,
            e.answer
        );
        assert!(
            e.answer.split_whitespace().count() <= 30,
            "{} -> {}",
            e.scenario,
            e.answer
        );
        for bad in ["Staging → Production", "Bronze → Silver", "split across"] {
            assert!(!e.answer.contains(bad), "{} -> {}", e.scenario, e.answer);
        }
    }
}

/// `href`, written on the page at `from`, as a path from the site root.
fn from_root(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn links_to_study_pages_resolve_from_any_depth() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/study-links");
    let (files, diags) = build(&fixture);
    assert_eq!(
        diags,
        ["notes/index.md:6:3: warning: link to missing anchor `when-to-use-what.html#lake-formations`\n  = help: did you mean `#lake-formation`?"],
    );
    let study = [
        "when-to-use-what.html",
        "flashcards.html",
        "cram-sheet.html",
    ];
    for (page, depth) in [
        ("index.html", 7),
        ("governance/lake-formation.html", 2),
        ("deep/er/notes.html", 3),
    ] {
        let content = chunks(&files[page], "<article", "</article>")[0];
        let links: Vec<String> = hrefs(content)
            .iter()
            .map(|h| from_root(page, h))
            .filter(|h| study.iter().any(|s| h.starts_with(s)))
            .filter(|h| !h.ends_with("#lake-formations"))
            .collect();
        assert_eq!(links.len(), depth, "{page}: {links:?}");
        for href in links {
            assert_resolves(&files, &href, page);
        }
    }
    let config = studysite::Config::load(&BuildOptions {
        path: fixture,
        ..Default::default()
    })
    .unwrap();
    let checked = studysite::check::check(&config, false).unwrap();
    assert_eq!(
        checked.report.errors(),
        1,
        "{:?}",
        checked.report.diagnostics()
    );
}

/// A card's HTML as text: its lines kept, its tags dropped.
fn card_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html.replace("<br>", "\n").replace("&nbsp;", " ");
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        rest = rest[close..].to_string();
    }
    out.push_str(&rest);
    unescape(&out)
}

/// The flashcard deck of a built site: (kind, context, prompt, answer, url, id) per card.
fn cards(files: &BTreeMap<String, String>) -> Vec<[String; 6]> {
    let js = &files[DECK];
    let json = js
        .trim()
        .strip_prefix("window.studysiteDeckData = ")
        .and_then(|j| j.strip_suffix(';'))
        .expect("the deck script's shape");
    let deck: serde_json::Value = serde_json::from_str(json).unwrap();
    let quizzes = deck["quizzes"].as_array().unwrap();
    // An item names its page (`p`: URL, title, section) and its anchor there (`at`).
    let url = |item: &serde_json::Value| {
        let page = deck["pages"][item["p"].as_u64().unwrap() as usize][0]
            .as_str()
            .unwrap();
        match item["at"].as_str() {
            Some(at) => format!("{page}#{at}"),
            None => page.to_string(),
        }
    };
    deck["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            if let Some(q) = c["q"].as_u64() {
                // A quiz card is its quiz: the stem, then a line per option.
                let z = &quizzes[q as usize];
                let mut prompt = card_text(z["stem"].as_str().unwrap()).trim().to_string();
                for o in z["options"].as_array().unwrap() {
                    let text = card_text(o[1].as_str().unwrap());
                    prompt.push_str(&format!("\n{}) {text}", o[0].as_str().unwrap()));
                }
                return [
                    "quiz".to_string(),
                    String::new(),
                    prompt,
                    card_text(z["explanation"].as_str().unwrap())
                        .trim()
                        .to_string(),
                    url(z),
                    c["id"].as_str().unwrap().to_string(),
                ];
            }
            let front = c["front"].as_str().unwrap();
            let (context, prompt) = match front.split_once("</p>") {
                Some((ctx, rest)) if ctx.starts_with("<p class=\"rv-context\">") => {
                    (card_text(ctx), card_text(rest))
                }
                _ => (String::new(), card_text(front)),
            };
            [
                c["kind"].as_str().unwrap().to_string(),
                context,
                prompt,
                card_text(c["back"].as_str().unwrap()),
                url(c),
                c["id"].as_str().unwrap().to_string(),
            ]
        })
        .collect()
}

#[test]
fn tips_and_traps_become_cloze_cards_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("svc")).unwrap();
    std::fs::write(dir.path().join("index.md"), "# Home\n").unwrap();
    std::fs::write(
        dir.path().join("svc/lake.md"),
        "# Lake Formation\n\nGrants on tables.\n\n\
         ## Column permissions\n\n**Exam tip:** Lake Formation grants reach single columns; \
         IAM policies alone cannot, and Lake Formation logs them.\n\n\
         ## Blueprints\n\n**Exam tip:** A **blueprint** builds the ingestion workflow for you.\n\n\
         ## Costs\n\n**Exam trap:** Nothing here names a thing.\n\n\
         **Exam tip:** Share tables across accounts → AWS RAM.\n\n\
         ## Lake Formation tags\n\n**Exam tip:** Lake Formation tags scale better than grants.\n",
    )
    .unwrap();
    let (files, _) = build(dir.path());
    let deck = cards(&files);
    let shown: Vec<[&str; 4]> = deck
        .iter()
        .map(|[k, c, p, _, url, _]| [k.as_str(), c.as_str(), p.as_str(), url.as_str()])
        .collect();
    assert_eq!(
        shown,
        [
            ["scenario", "Lake Formation · Costs", "Share tables across accounts", "svc/lake.html#sc-share-tables-across-accounts"],
            [
                "tip",
                "Column permissions",
                "_____ grants reach single columns; IAM policies alone cannot, and _____ logs them.",
                "svc/lake.html#exam-tip",
            ],
            ["tip", "Blueprints", "A _____ builds the ingestion workflow for you.", "svc/lake.html#exam-tip-1"],
            // A trap that names nothing, and a tip whose heading names its only term
            // (blanking it would give the answer away), ask nothing: no card.
        ]
    );
    assert_eq!(deck[1][3], "Lake Formation grants reach single columns; IAM policies alone cannot, and Lake Formation logs them.");
}

#[test]
fn bundled_tips_that_state_scenarios_are_not_carded_twice() {
    let (files, _) = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let deck = cards(&files);
    let ids: std::collections::BTreeSet<&str> = deck.iter().map(|c| c[5].as_str()).collect();
    assert_eq!(ids.len(), deck.len(), "two cards share an id");
    // Each of the seed's four tips and its trap states scenarios, so each is on those cards;
    // the rest of the deck is the practice questions note (two of them quizzes).
    let (scenarios, others): (Vec<_>, Vec<_>) = deck.iter().partition(|c| c[0] == "scenario");
    assert!(
        others.iter().all(|c| c[0] == "question" || c[0] == "quiz"),
        "{others:?}"
    );
    // Two fronts name their answers, so they make no card: "Batch processing jobs" (AWS
    // Batch), and the Lake Formation tip under the Lake Formation note's own title.
    let given_away = ["batch-processing-jobs", "fine-grained-access-control"];
    assert!(scenarios
        .iter()
        .all(|c| !given_away.iter().any(|g| c[4].contains(g))));
    assert_eq!(
        scenarios.len(),
        SEED.len() + SEED_TOOLS.len() - given_away.len()
    );
    assert_eq!(others.len(), 5, "{others:?}");
}

#[test]
fn bundled_practice_questions_are_cards() {
    let (files, _) = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let deck = cards(&files);
    let questions: Vec<&[String; 6]> = deck.iter().filter(|c| c[0] == "question").collect();
    // A question with lettered options and a folded answer callout is a quiz card: the
    // options keep their lines.
    let quiz = deck.iter().find(|c| c[0] == "quiz").unwrap();
    assert!(
        quiz[2].ends_with("endpoint fits?\nA) Real-time inference\nB) Serverless inference\nC) Async inference\nD) An inference pipeline"),
        "{:?}",
        quiz[2]
    );
    assert!(quiz[3].starts_with("C: Async inference."), "{quiz:?}");
    assert_eq!(
        quiz[4],
        "03-mlops-deployment/12-practice-questions.html#question-1-payload-size"
    );
    // A question card names its heading.
    assert_eq!(questions[0][1], "Question 3: Python Workflows");
    // An HTML <details> whose summary says "answer".
    assert!(
        questions[0][3].starts_with("Amazon MWAA"),
        "{:?}",
        questions[0]
    );
    // `Q:` / `A:` lines, two under one heading.
    assert_eq!(
        questions[1][2],
        "Which service stores the Docker images that SageMaker and ECS run?"
    );
    assert_eq!(questions[1][3], "Amazon ECR, the container registry.");
    assert_eq!(
        questions[2][4],
        "03-mlops-deployment/12-practice-questions.html#quick-checks"
    );
}

/// Where each scenario's answer links on the bundled notes: (linked text, section), in order.
const ANSWER_TARGETS: &[(&str, &[(&str, &str)])] = &[
    (
        "Store Docker images",
        &[("ECR", "05-containers-and-compute.html#amazon-ecr")],
    ),
    (
        "Run containers (simple)",
        &[
            ("ECS", "05-containers-and-compute.html#amazon-ecs"),
            ("Fargate", "05-containers-and-compute.html#fargate"),
        ],
    ),
    (
        "Process a 2 GB file in Lambda",
        &[
            ("ECS", "05-containers-and-compute.html#amazon-ecs"),
            ("Fargate", "05-containers-and-compute.html#fargate"),
        ],
    ),
    (
        "Run containers (Kubernetes)",
        &[("EKS", "05-containers-and-compute.html#amazon-eks")],
    ),
    (
        "Batch processing jobs",
        &[("AWS Batch", "05-containers-and-compute.html#aws-batch")],
    ),
    (
        "React to AWS events",
        &[("EventBridge", "08-orchestration.html#amazon-eventbridge")],
    ),
    (
        "Python DAG-based workflows",
        &[("MWAA", "08-orchestration.html#amazon-mwaa")],
    ),
    (
        "Visual workflow with AWS services",
        &[("Step Functions", "08-orchestration.html#step-functions")],
    ),
    (
        "Define infra as YAML",
        &[(
            "CloudFormation",
            "06-infrastructure-as-code.html#aws-cloudformation",
        )],
    ),
    (
        "Define infra as code (Python/TS)",
        &[("CDK", "06-infrastructure-as-code.html#aws-cdk")],
    ),
    (
        "General CI/CD",
        &[
            (
                "CodePipeline",
                "07-cicd-and-pipelines.html#aws-codepipeline",
            ),
            (
                "CodeBuild",
                "07-cicd-and-pipelines.html#aws-developer-tools",
            ),
            (
                "CodeDeploy",
                "07-cicd-and-pipelines.html#aws-developer-tools",
            ),
        ],
    ),
    (
        "ML-specific CI/CD pipeline",
        &[(
            "SageMaker Pipelines",
            "07-cicd-and-pipelines.html#sagemaker-pipelines",
        )],
    ),
    (
        "the question asks about ML-specific CI/CD or automated retraining workflows",
        &[(
            "SageMaker Pipelines",
            "07-cicd-and-pipelines.html#sagemaker-pipelines",
        )],
    ),
    (
        "Data lake governance",
        &[("Lake Formation", "09-governance.html#lake-formation")],
    ),
    (
        "When the question asks about fine-grained access control for a data lake",
        &[("Lake Formation", "09-governance.html#lake-formation")],
    ),
    (
        "Deploy to edge devices",
        &[
            ("SageMaker Neo", "04-edge-deployment.html#sagemaker-neo"),
            (
                "IoT Greengrass",
                "04-edge-deployment.html#aws-iot-greengrass",
            ),
        ],
    ),
    (
        "A/B test models",
        &[(
            "Production Variants",
            "01-inference-options.html#production-variants",
        )],
    ),
    (
        "Gradual traffic shift",
        &[
            ("Canary", "02-deployment-strategies.html#canary-deployment"),
            (
                "Linear deployment",
                "02-deployment-strategies.html#linear-deployment",
            ),
        ],
    ),
    (
        "Zero-risk model comparison",
        &[(
            "Shadow testing",
            "02-deployment-strategies.html#shadow-testing",
        )],
    ),
    (
        "Intermittent traffic, minimize cost",
        &[(
            "Serverless Inference",
            "01-inference-options.html#serverless-inference",
        )],
    ),
    (
        "Intermittent traffic, cost-sensitive",
        &[(
            "Serverless",
            "01-inference-options.html#serverless-inference",
        )],
    ),
    (
        "Large images, processing takes minutes",
        &[(
            "Async Inference",
            "01-inference-options.html#async-inference",
        )],
    ),
    (
        "Large payloads, long processing",
        &[("Async", "01-inference-options.html#async-inference")],
    ),
    (
        "Score entire dataset nightly",
        &[(
            "Batch Transform",
            "01-inference-options.html#batch-transform",
        )],
    ),
    (
        "Offline predictions, whole datasets",
        &[(
            "Batch Transform",
            "01-inference-options.html#batch-transform",
        )],
    ),
    (
        "Sub-second response for API",
        &[(
            "Real-Time Inference",
            "01-inference-options.html#real-time-inference",
        )],
    ),
    (
        "Production APIs, interactive apps",
        &[("Real-Time", "01-inference-options.html#real-time-inference")],
    ),
    (
        "Multi-step: preprocess → predict → postprocess",
        &[(
            "Inference Pipeline",
            "01-inference-options.html#inference-pipelines",
        )],
    ),
    (
        "Git repository (AWS managed)",
        &[(
            "CodeCommit",
            "07-cicd-and-pipelines.html#aws-developer-tools",
        )],
    ),
    (
        "Build and test (compile, run tests, create container)",
        &[(
            "CodeBuild",
            "07-cicd-and-pipelines.html#aws-developer-tools",
        )],
    ),
    (
        "Deploy to EC2, ECS, Lambda",
        &[(
            "CodeDeploy",
            "07-cicd-and-pipelines.html#aws-developer-tools",
        )],
    ),
    (
        "Orchestrate the full CI/CD pipeline",
        &[(
            "CodePipeline",
            "07-cicd-and-pipelines.html#aws-codepipeline",
        )],
    ),
];

#[test]
fn every_answer_links_to_the_section_that_defines_it() {
    let (files, _) = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let page = &files["when-to-use-what.html"];
    let found: Vec<(String, Vec<(String, String)>)> =
        chunks(page, "<li class=\"wtu-entry\"", "</li>")
            .into_iter()
            .map(|li| {
                let answer = chunks(li, "<span class=\"wtu-answer\">", "</span>")[0];
                let links = chunks(answer, "<a href=\"", "</a>")
                    .into_iter()
                    .map(|a| {
                        let (href, text) = a["<a href=\"".len()..a.len() - 4]
                            .split_once("\">")
                            .unwrap();
                        (strip_tags(text), unescape(href))
                    })
                    .collect();
                (
                    strip_tags(chunks(li, "<span class=\"wtu-scenario\">", "</span>")[0]),
                    links,
                )
            })
            .collect();
    assert_eq!(found.len(), ANSWER_TARGETS.len());
    for (scenario, want) in ANSWER_TARGETS {
        let (_, got) = found
            .iter()
            .find(|(s, _)| s == scenario)
            .unwrap_or_else(|| panic!("missing scenario `{scenario}`"));
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(t, h)| (t.to_string(), format!("03-mlops-deployment/{h}")))
            .collect();
        assert_eq!(got, &want, "the answer to `{scenario}`");
    }
}

/// Tags that hold no content and have no end tag.
const VOID: &[&str] = &[
    "br", "img", "hr", "input", "meta", "link", "wbr", "col", "source", "area",
];

#[test]
fn glossary_links_stay_in_prose() {
    let (files, _) = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let mut total = 0;
    for (path, html) in &files {
        let Some(article) = chunks(html, "<article class=\"content\">", "</article>")
            .first()
            .copied()
        else {
            continue;
        };
        // Open elements (name, opening tag), the nearest heading's id, and the terms linked
        // in its section so far.
        let mut open: Vec<(String, String)> = Vec::new();
        let mut section = String::new();
        let mut linked: Vec<String> = Vec::new();
        let mut rest = article;
        while let Some(lt) = rest.find('<') {
            rest = &rest[lt..];
            if rest.starts_with("<!--") {
                rest = &rest[rest.find("-->").map_or(rest.len(), |e| e + 3)..];
                continue;
            }
            let end = rest.find('>').unwrap() + 1;
            let tag = &rest[..end];
            rest = &rest[end..];
            let closing = tag.starts_with("</");
            let name: String = tag[if closing { 2 } else { 1 }..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_lowercase();
            if closing {
                if let Some(i) = open.iter().rposition(|(n, _)| *n == name) {
                    open.truncate(i);
                }
                continue;
            }
            let is_heading = name.len() == 2 && name.starts_with('h') && name != "hr";
            if is_heading {
                if let Some(id) = chunks(tag, "id=\"", "\"").first() {
                    section = id[4..id.len() - 1].to_string();
                    linked.clear();
                }
            }
            if tag.starts_with("<a class=\"term\"") {
                total += 1;
                let href = unescape(&hrefs(tag)[0]);
                let text = &rest[..rest.find("</a>").unwrap()];
                let bad: Vec<&String> = open
                    .iter()
                    .filter(|(n, t)| {
                        matches!(
                            n.as_str(),
                            "a" | "code" | "pre" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                        ) || t.contains("diagram")
                    })
                    .map(|(_, t)| t)
                    .collect();
                assert!(
                    bad.is_empty(),
                    "{path}: glossary link `{text}` inside {bad:?}"
                );
                assert_ne!(
                    href,
                    format!("#{section}"),
                    "{path}: `{text}` links to its own section"
                );
                assert!(
                    !linked.contains(&href),
                    "{path}: `{text}` linked twice in section #{section}"
                );
                linked.push(href);
            }
            if !VOID.contains(&name.as_str()) && !tag.ends_with("/>") {
                open.push((name, tag.to_string()));
            }
        }
    }
    assert!(
        total >= 20,
        "only {total} glossary links on the bundled notes"
    );
}

/// Answers written as people write them in tables of their own: an acronym a note's title
/// starts with, a choice with what it is for, a list of choices; and a repository's
/// CHANGELOG, whose headings name nothing the notes are about.
#[test]
fn answers_name_their_choice_however_the_row_writes_it() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("index.md", "# Home\n");
    write(
        "security/iam-security.md",
        "# IAM Security\n\nRoles and policies for workloads.\n\n\
         ## Execution Roles\n\nWhat a job assumes.\n\n\
         ## VPC Configuration\n\nSubnets and security groups for the job, and more about them.\n\n\
         ### VPC Endpoints\n\nPrivate access to services.\n",
    );
    write(
        "delta/time-travel.md",
        "# Time Travel\n\nQuery an older version of a table by version or timestamp.\n",
    );
    write(
        "CHANGELOG.md",
        "# Changelog\n\n## Nutter Runner\n\nAdded a page on it.\n",
    );
    write(
        "cheat-sheet.md",
        "# Cheat Sheet\n\n## How to secure a workload\n\n\
         | Need | Use |\n|---|---|\n\
         | Access control | IAM |\n\
         | Network isolation | VPC |\n\
         | Identity | IAM, IAM Identity Center |\n\
         | Regulatory compliance | Time travel for audit trails |\n\
         | Sharing results | HTML |\n\
         | Test notebooks | Nutter Runner |\n\
         | Dotted capitals | İİİİİİ for éé |\n",
    );
    let (files, _) = build(dir.path());
    let found = entries(&files["when-to-use-what.html"]);
    let link = |s: &str| {
        let e = found
            .iter()
            .find(|e| e.scenario == s)
            .unwrap_or_else(|| panic!("no entry `{s}` in {found:?}"));
        e.answer_links.first().cloned()
    };
    assert_eq!(
        link("Access control").as_deref(),
        Some("security/iam-security.html")
    );
    // The section that holds "VPC Endpoints" is about VPC as a whole.
    assert_eq!(
        link("Network isolation").as_deref(),
        Some("security/iam-security.html#vpc-configuration")
    );
    assert_eq!(
        link("Identity").as_deref(),
        Some("security/iam-security.html")
    );
    assert_eq!(
        link("Regulatory compliance").as_deref(),
        Some("delta/time-travel.html")
    );
    // "HTML" is a word; the CHANGELOG's headings are no definitions.
    assert_eq!(link("Sharing results"), None);
    assert_eq!(link("Test notebooks"), None);
    // Lowering "İ" makes more bytes: the lead's end must still be read in the answer.
    assert_eq!(link("Dotted capitals"), None);
}
