import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { josa } from 'es-hangul';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { SEARCH_TOTAL_CAP, searchChars } from '../core/domain/korean-search';
import { openDatabase, type Dialect } from '../server/db/database';
import { MIGRATIONS } from '../server/db/migrations/index';
import type { Database } from '../server/db/tables';
import { createKbSearch, type KbSearch, type SearchableArticle } from '../server/modules/kb/search/kb-search';
import { percentile, type Bench, type BenchSection } from './types';

/*
 * Korean knowledge-base search benchmark (server/modules/kb/search).
 *
 * 100,000 synthetic 민원 FAQ articles (10,000 with `quick`), generated from a seeded PRNG: 19 topics with Zipf-like
 * popularity, titles of 15-30 characters, bodies of about 300, particles chosen by es-hangul's josa(), spacing and
 * punctuation variants (전입신고 / 전입 신고, 주정차 / 주·정차), 5 % drafts. They are loaded through the engine
 * (articles insert + indexArticles, 1,000-row batches, 5,000 per transaction) into a file SQLite database in a
 * temporary folder and into a fresh PostgreSQL schema, then a fixed query set runs against each: latency of
 * search({ q, limit: 10 }) including highlights, and recall/precision of the exact match set (matchSeqs) against a
 * substring scan of the published articles.
 */

const LATENCY_TARGET_P95_MS = 20;

// ───────────────────────────── data ─────────────────────────────

type Topic = { subject: string; variants: string[]; department: string; aspects: string[]; terms: string[] };

// Ordered by popularity (Zipf weight 1/rank).
const TOPICS: Topic[] = [
  { subject: '여권', variants: [], department: '민원여권과', aspects: ['발급', '재발급', '분실 신고', '유효기간 연장', '발급 수수료', '신청 서류', '긴급 발급'], terms: ['여권용 사진', '신분증', '병역 관계 서류', '외교부'] },
  { subject: '주정차 과태료', variants: ['주·정차 과태료', '주정차과태료'], department: '교통행정과', aspects: ['납부', '의견 진술', '감경', '이의 제기', '사전 통지'], terms: ['단속 사진', '차량 번호', '자진 납부'] },
  { subject: '전입신고', variants: ['전입 신고'], department: '민원여권과', aspects: ['방법', '기한', '필요 서류', '온라인 신청', '세대주 확인', '과태료'], terms: ['임대차계약서', '세대주', '확정일자'] },
  { subject: '자동차세', variants: [], department: '세무과', aspects: ['납부', '연납 할인', '체납', '감면', '고지서', '환급'], terms: ['위택스', '자동차 등록증', '납부 기한'] },
  { subject: '지방세', variants: [], department: '세무과', aspects: ['납부', '체납', '분할 납부', '감면 신청', '이의 신청'], terms: ['가산금', '위택스', '세무과'] },
  { subject: '수도요금', variants: ['수도 요금', '상하수도 요금'], department: '상수도사업소', aspects: ['납부', '감면', '고지서 재발행', '누수 감면', '명의 변경'], terms: ['상수도사업본부', '계량기', '검침'] },
  { subject: '대형폐기물', variants: ['대형 폐기물'], department: '자원순환과', aspects: ['배출 신고', '수거 신청', '수수료', '스티커 구입'], terms: ['장롱', '침대', '소파', '쓰레기'] },
  { subject: '기초연금', variants: [], department: '노인복지과', aspects: ['신청 자격', '신청 방법', '지급일', '소득인정액', '수급 중지'], terms: ['만 65세', '국민연금공단', '선정기준액'] },
  { subject: '아동수당', variants: ['아동 수당'], department: '아동청소년과', aspects: ['신청 방법', '지급 대상', '지급일', '계좌 변경'], terms: ['만 8세 미만', '출생신고', '복지로'] },
  { subject: '건축허가', variants: ['건축 허가'], department: '건축과', aspects: ['신청 절차', '처리 기간', '필요 서류', '변경 허가', '착공 신고'], terms: ['설계도서', '세움터', '건축사'] },
  { subject: '주민등록등본', variants: ['주민등록 등본'], department: '민원여권과', aspects: ['발급', '온라인 발급', '무인 발급', '수수료'], terms: ['정부24', '무인민원발급기', '등본'] },
  { subject: '반려동물 등록', variants: ['반려동물등록'], department: '동물보호과', aspects: ['방법', '변경 신고', '과태료', '중성화 지원'], terms: ['동물병원', '내장형 칩', '중성화'] },
  { subject: '쓰레기 종량제', variants: ['쓰레기종량제'], department: '자원순환과', aspects: ['봉투 구입', '배출 요일', '음식물 쓰레기', '재활용 분리배출'], terms: ['편의점', '음식물', '재활용품'] },
  { subject: '재산세', variants: [], department: '세무과', aspects: ['납부', '부과 기준', '분할 납부', '감면'], terms: ['공시가격', '7월 고지서', '9월 고지서'] },
  { subject: '장애인 복지', variants: [], department: '장애인복지과', aspects: ['등록 신청', '활동지원 서비스', '보조기기 지원', '주차 표지'], terms: ['장애 정도 심사', '국민연금공단', '복지카드'] },
  { subject: '청년 월세 지원', variants: ['청년월세 지원'], department: '청년정책과', aspects: ['신청 자격', '지원 금액', '신청 방법', '지급 일정'], terms: ['무주택', '임대차계약서', '소득 기준'] },
  { subject: '불법 광고물', variants: ['불법광고물'], department: '도시디자인과', aspects: ['신고', '철거 요청', '과태료'], terms: ['현수막', '전단지', '도로'] },
  { subject: '도로 파손', variants: [], department: '도로관리과', aspects: ['신고', '보수 요청', '피해 보상'], terms: ['포트홀', '보도블록', '안전신문고'] },
  { subject: '가로등 고장', variants: ['가로등고장'], department: '도로관리과', aspects: ['신고', '수리 기간', '설치 요청'], terms: ['전신주 번호', '야간', '도로관리과'] },
];

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A synthetic article with its department name (the bench does not create departments). */
export type GeneratedArticle = SearchableArticle & { department: string };

/** Deterministic synthetic 민원 FAQ articles (seeded PRNG, Zipf-like topic popularity). */
export function generateArticles(count: number, seed = 20261127): GeneratedArticle[] {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const weights = TOPICS.map((_, i) => 1 / (i + 1));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const pickTopic = (): Topic => {
    let r = rand() * totalWeight;
    for (let i = 0; i < TOPICS.length; i++) {
      r -= weights[i]!;
      if (r <= 0) return TOPICS[i]!;
    }
    return TOPICS[0]!;
  };
  // A spelling of the subject: mostly canonical, sometimes a spacing or punctuation variant.
  const spell = (t: Topic) => (t.variants.length > 0 && rand() < 0.2 ? pick(t.variants) : t.subject);
  // "여권 발급" sometimes written "여권발급".
  const phrase = (a: string, b: string) => (rand() < 0.15 ? `${a}${b}` : `${a} ${b}`);

  const titleTemplates: Array<(s: string, a: string, d: string) => string> = [
    (s, a) => `${phrase(s, a)} 안내`,
    (s, a) => `${phrase(s, a)} 관련 자주 묻는 질문`,
    (s, a) => `${josa(s, '을/를')} 위한 ${a} 절차`,
    (s, a) => `${a} 문의: ${s} 상담 요령`,
    (s, a, d) => `[${d}] ${phrase(s, a)} 처리 기준`,
    (s, a) => `${s}의 ${a} 기준과 유의사항`,
    (s, a) => `${phrase(s, a)}, 이렇게 하세요`,
  ];
  const fillers = [
    '자세한 사항은 담당 부서로 문의하시기 바랍니다.',
    '본인이 방문하기 어려우면 위임장을 지참한 대리인이 신청할 수 있습니다.',
    '온라인으로는 정부24에서 신청할 수 있으며 수수료가 감면됩니다.',
    '민원 서류가 미비하면 보완을 요청할 수 있으니 미리 확인하세요.',
    '기한을 넘기면 과태료가 부과될 수 있습니다.',
    '평일 오전 9시부터 오후 6시까지 민원실에서 처리합니다.',
    '상담 시 신분증 번호 등 개인정보는 필요한 범위에서만 확인합니다.',
  ];

  const articles: GeneratedArticle[] = [];
  for (let i = 0; i < count; i++) {
    const topic = pickTopic();
    const other = pickTopic();
    const s = spell(topic);
    const a = pick(topic.aspects);
    let title = pick(titleTemplates)(s, a, topic.department);
    if (title.length < 15) title += ` (${2020 + Math.floor(rand() * 7)}년 기준)`;
    const [t1, t2, t3] = [pick(topic.terms), pick(topic.terms), pick(topic.terms)];
    const sentences = [
      `${josa(spell(topic), '은/는')} ${topic.department}에서 담당합니다.`,
      `${josa(a, '을/를')} 하려면 ${josa(t1, '와/과')} 신분증을 준비하세요.`,
      `${phrase(spell(topic), a)} 관련 ${josa(t2, '은/는')} 상담 시 먼저 확인해야 합니다.`,
      `처리 기간은 보통 ${1 + Math.floor(rand() * 14)}일이며, 결과는 문자로 알려 드립니다.`,
      `수수료는 ${(1 + Math.floor(rand() * 30)) * 1000}원이고 카드나 현금으로 납부할 수 있습니다.`,
      `${josa(t3, '이/가')} 필요한 경우에는 미리 안내해 주세요.`,
      `${spell(other)} 관련 민원은 별도 안내문을 참고하세요.`,
      pick(fillers),
      pick(fillers),
    ];
    // Shuffle the middle sentences so bodies differ; keep about 300 characters.
    for (let j = sentences.length - 1; j > 1; j--) {
      const k = 1 + Math.floor(rand() * j);
      [sentences[j], sentences[k]] = [sentences[k]!, sentences[j]!];
    }
    let body = '';
    for (const sentence of sentences) {
      if (body.length > 260) break;
      body += (body ? ' ' : '') + sentence;
    }
    const seq = i + 1;
    articles.push({
      id: `00000000-0000-7000-8000-${seq.toString(16).padStart(12, '0')}`,
      seq,
      title,
      body,
      keywords: [topic.subject, a],
      status: rand() < 0.05 ? 'draft' : 'published',
      department: topic.department,
    });
  }
  return articles;
}

// ───────────────────────────── queries ─────────────────────────────

type QueryClass = '2-syllable' | 'multi-term' | 'ranked (< 1,000 hits)' | 'spacing variant' | 'compound' | '1-syllable' | 'typo' | 'no-hit' | 'spoken';
/** `topic`: for spoken questions, a word the right article's title has (checked among the first three hits). */
type BenchQuery = { q: string; kind: QueryClass; expectCorrection?: string; topic?: string };

/** Classes whose match set is exact (every term a substring), so recall and precision against the scan apply. */
const isExactClass = (kind: QueryClass) => kind !== 'typo' && kind !== 'spoken';

export const QUERIES: BenchQuery[] = [
  ...['여권', '등본', '납부', '민원', '서류', '수당', '요금', '발급'].map((q) => ({ q, kind: '2-syllable' as const })),
  ...['여권 발급', '과태료 납부', '전입신고 서류', '자동차세 납부 기한', '기초연금 신청 자격', '대형폐기물 수수료', '건축허가 처리 기간'].map((q) => ({ q, kind: 'multi-term' as const })),
  // Fewer hits than the total cap at 100k, so every hit is ranked (bm25 / title-weighted term frequency).
  ...['누수 감면', '보조기기 지원', '가로등 설치 요청', '포트홀 보상', '현수막 철거', '착공 신고', '청년 월세 지급 일정'].map((q) => ({ q, kind: 'ranked (< 1,000 hits)' as const })),
  ...['여권발급', '전입 신고', '과태료납부', '수도 요금', '주정차과태료', '건축 허가', '쓰레기종량제'].map((q) => ({ q, kind: 'spacing variant' as const })),
  ...['전입신고', '자동차세', '대형폐기물', '지방세', '중성화', '아동수당', '임대차계약서', '무인민원발급기'].map((q) => ({ q, kind: 'compound' as const })),
  ...['세', '물'].map((q) => ({ q, kind: '1-syllable' as const })),
  { q: '여권 발금', kind: 'typo', expectCorrection: '여권 발급' },
  { q: '자동차쎄', kind: 'typo', expectCorrection: '자동차세' },
  { q: '쓰래기', kind: 'typo', expectCorrection: '쓰레기' },
  { q: '기초연굼', kind: 'typo', expectCorrection: '기초연금' },
  { q: '전입신거', kind: 'typo', expectCorrection: '전입신고' },
  { q: '대형페기물', kind: 'typo', expectCorrection: '대형폐기물' },
  { q: '아동수담', kind: 'typo', expectCorrection: '아동수당' },
  ...['우주선', '블록체인 인증서', '해외 직구 통관'].map((q) => ({ q, kind: 'no-hit' as const })),
  // Spoken questions (issue #13): any word may match, ranked; up to 100 characters, the longest ones rambling.
  ...(
    [
      ['여권을 잃어버렸는데요 다시 발급받으려면 어떻게 해야 돼요', '여권'],
      ['주정차 과태료 나왔는데 이거 어디서 내는 거예요', '과태료'],
      ['이사 왔는데 전입신고는 언제까지 해야 되나요', '전입'],
      ['자동차세 한꺼번에 미리 내면 할인된다던데 맞나요', '자동차세'],
      ['수도요금이 갑자기 많이 나왔는데 누수 감면 받을 수 있을까요', '수도'],
      ['장롱 버리려고 하는데 대형폐기물 스티커는 어디서 사요', '폐기물'],
      ['저희 어머니가 기초연금 받으실 수 있는지 궁금해서요', '기초연금'],
      ['집 앞 도로가 파손돼서 차가 망가졌는데 피해 보상 되나요', '도로'],
      ['가로등이 며칠째 꺼져 있어요 고장 신고하려고요', '가로등'],
      ['등본떼려면 어디로 가야돼요', '등본'],
      ['자동차세언제내요', '자동차세'],
      ['청년 월세 지원 받으려면 소득 기준이 어떻게 돼요', '청년'],
      ['현수막이 불법으로 걸려 있는데 철거해 달라고 신고하고 싶어요', '광고물'],
      ['아이 아동수당 지급일이 언제인지 알 수 있을까요', '아동수당'],
      ['안녕하세요 제가 이번에 이사를 했는데요 전입신고를 아직 못 해서 혹시 기한 지나면 과태료 나오는지 그리고 필요한 서류는 뭔지 좀 알려 주세요', '전입'],
      ['여보세요 저 다름이 아니라 우리 집 강아지를 반려동물 등록을 해야 한다고 들었는데 동물병원 가서 하면 되는 건지 안 하면 과태료도 있는 건지 궁금해서 전화했어요', '반려동물'],
    ] as const
  ).map(([q, topic]) => ({ q, kind: 'spoken' as const, topic })),
];

type Oracle = { raw: Set<number>; compact: Set<number> };

/** Substring scan of published articles: every term a substring of title + keywords + body (raw, and ignoring spacing). */
function oracle(articles: readonly GeneratedArticle[], q: string): Oracle {
  const rawTerms = q.normalize('NFC').toLowerCase().split(/\s+/u).filter(Boolean);
  const compactTerms = rawTerms.map((t) => searchChars(t).join('')).filter(Boolean);
  const raw = new Set<number>();
  const compact = new Set<number>();
  for (const a of articles) {
    if (a.status !== 'published') continue;
    const fields = [a.title, a.keywords.join(' '), a.body].map((f) => f.toLowerCase());
    if (rawTerms.every((t) => fields.some((f) => f.includes(t)))) raw.add(a.seq);
    const compactFields = fields.map((f) => searchChars(f).join(''));
    if (compactTerms.every((t) => compactFields.some((f) => f.includes(t)))) compact.add(a.seq);
  }
  return { raw, compact };
}

function recallPrecision(found: ReadonlySet<number>, expected: ReadonlySet<number>): { recall: number; precision: number } {
  let both = 0;
  for (const s of found) if (expected.has(s)) both++;
  return { recall: expected.size === 0 ? 1 : both / expected.size, precision: found.size === 0 ? 1 : both / found.size };
}

// ───────────────────────────── run ─────────────────────────────

export type Target = { dialect: Dialect; db: Kysely<Database>; label: string; close: () => Promise<void> };

/**
 * Applies every migration's `up` in order to a throwaway database. Not through Kysely's Migrator: its lock-table
 * check looks in every schema, so its tables in a bench schema would break concurrent test runs on the same server.
 */
async function applyMigrations(db: Kysely<Database>): Promise<void> {
  for (const migration of Object.values(MIGRATIONS)) await migration.up(db);
}

export async function openSqlite(dir: string): Promise<Target> {
  const file = path.join(dir, 'search-bench.db');
  const handle = openDatabase({ dialect: 'sqlite', file });
  await applyMigrations(handle.db);
  return { dialect: 'sqlite', db: handle.db, label: `SQLite (file, WAL, ${file.replace(os.tmpdir(), '$TMPDIR')})`, close: handle.close };
}

export async function openPostgres(url: string): Promise<Target> {
  const schema = `bench_search_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const { rows } = await admin.query<{ server_version: string }>('show server_version');
  await admin.end();
  const pool = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await applyMigrations(db);
  return {
    dialect: 'postgres',
    db,
    label: `PostgreSQL ${rows[0]?.server_version ?? ''} (fresh schema)`,
    close: async () => {
      await sql.raw(`drop schema ${schema} cascade`).execute(db);
      await db.destroy();
    },
  };
}

export async function load(target: Target, kb: KbSearch, articles: readonly GeneratedArticle[]): Promise<{ loadMs: number; maintenanceMs: number }> {
  const now = '2026-11-27T00:00:00.000Z';
  const started = performance.now();
  for (let i = 0; i < articles.length; i += 5000) {
    const chunk = articles.slice(i, i + 5000);
    await target.db.transaction().execute(async (trx) => {
      for (let j = 0; j < chunk.length; j += 1000) {
        const batch = chunk.slice(j, j + 1000);
        for (let k = 0; k < batch.length; k += 500) {
          await trx
            .insertInto('articles')
            .values(
              batch.slice(k, k + 500).map((a) => ({
                id: a.id, seq: a.seq, category_id: null, department_id: null, title: a.title, body: a.body,
                keywords: JSON.stringify(a.keywords), status: a.status, version: 1, review_by: null, created_by: null,
                created_at: now, updated_at: now,
              })),
            )
            .execute();
        }
        await kb.indexArticles(trx, batch);
      }
    });
  }
  const loadMs = performance.now() - started;
  // One-off maintenance after a bulk load: merge FTS5 segments / flush GIN pending lists and gather statistics.
  const m = performance.now();
  if (target.dialect === 'sqlite') {
    await sql`insert into article_search (article_search) values ('optimize')`.execute(target.db);
    await sql`analyze`.execute(target.db);
  } else {
    await sql`vacuum analyze article_search`.execute(target.db);
    await sql`analyze articles`.execute(target.db);
  }
  return { loadMs, maintenanceMs: performance.now() - m };
}

type QueryResult = {
  query: BenchQuery;
  samples: number[];
  total: number;
  matched: number;
  oracleRaw: number;
  oracleCompact: number;
  vsRaw: { recall: number; precision: number };
  vsCompact: { recall: number; precision: number };
  correctedQuery: string | null;
  topTitle: string;
  topTitles: string[];
};

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : '–');
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const fmtTotal = (n: number) => (n >= SEARCH_TOTAL_CAP ? `${SEARCH_TOTAL_CAP.toLocaleString('en')}+` : n.toLocaleString('en'));
const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

async function benchDialect(
  open: () => Promise<Target>,
  articles: readonly GeneratedArticle[],
  oracles: Map<string, Oracle>,
  runs: number,
): Promise<BenchSection> {
  const target = await open();
  try {
    const kb = createKbSearch(target.db, target.dialect);
    const { loadMs, maintenanceMs } = await load(target, kb, articles);
    const loadAverage = os.loadavg()[0]!;
    const indexBytes = await kb.indexSizeBytes();
    const v = performance.now();
    await kb.search({ q: '여권 발금' }); // first typo query loads the vocabulary
    const vocabularyMs = performance.now() - v;

    const results: QueryResult[] = [];
    for (const query of QUERIES) {
      const first = await kb.search({ q: query.q, limit: 10 }); // warm-up
      const samples: number[] = [];
      for (let r = 0; r < runs; r++) {
        const t = performance.now();
        await kb.search({ q: query.q, limit: 10 });
        samples.push(performance.now() - t);
      }
      const matched = new Set(await kb.matchSeqs(query.q));
      const o = oracles.get(query.q)!;
      results.push({
        query,
        samples,
        total: first.total,
        matched: matched.size,
        oracleRaw: o.raw.size,
        oracleCompact: o.compact.size,
        vsRaw: recallPrecision(matched, o.raw),
        vsCompact: recallPrecision(matched, o.compact),
        correctedQuery: first.correctedQuery,
        topTitle: first.hits[0]?.title ?? '',
        topTitles: first.hits.slice(0, 3).map((h) => h.title),
      });
    }
    return report(target, articles, results, { loadMs, maintenanceMs, indexBytes, vocabularyMs, runs, loadAverage });
  } finally {
    await target.close();
  }
}

function report(
  target: Target,
  articles: readonly GeneratedArticle[],
  results: QueryResult[],
  info: { loadMs: number; maintenanceMs: number; indexBytes: number | null; vocabularyMs: number; runs: number; loadAverage: number },
): BenchSection {
  const all = results.flatMap((r) => r.samples);
  const p95 = percentile(all, 95);
  const classes = [...new Set(results.map((r) => r.query.kind))];
  const exactClasses = results.filter((r) => isExactClass(r.query.kind));
  const isRecallComplete = exactClasses.every((r) => r.vsRaw.recall === 1 && r.vsCompact.recall === 1);
  // Any meaningful word may match (issue #13), so `total` counts at least the articles having every term.
  const isTotalConsistent = results.every((r) => !isExactClass(r.query.kind) || r.total >= Math.min(r.matched, SEARCH_TOTAL_CAP));
  const spoken = results.filter((r) => r.query.kind === 'spoken');
  const onTopic = spoken.filter((r) => r.topTitles.some((t) => t.includes(r.query.topic!))).length;
  const typos = results.filter((r) => r.query.kind === 'typo');
  const corrected = typos.filter((r) => r.correctedQuery === r.query.expectCorrection).length;
  const published = articles.filter((a) => a.status === 'published').length;
  const isEveryClassFast = classes.every((kind) => percentile(results.filter((r) => r.query.kind === kind).flatMap((r) => r.samples), 95) < LATENCY_TARGET_P95_MS);
  const isMet = isEveryClassFast && isRecallComplete && isTotalConsistent && corrected === typos.length;

  const lines: string[] = [];
  lines.push(
    `${target.label}; ${articles.length.toLocaleString('en')} articles (${published.toLocaleString('en')} published), ` +
      `${QUERIES.length} queries × ${info.runs} timed runs after one warm-up, one client, search({ q, limit: 10 }) including highlights. ` +
      `Load average at the start: ${info.loadAverage.toFixed(1)} on ${os.cpus().length} CPUs (a shared machine shows in p95 and max).`,
    '',
    '| Load | Value |',
    '|---|---|',
    `| articles insert + indexArticles (1,000-row batches, 5,000 per transaction) | ${(info.loadMs / 1000).toFixed(1)} s (${((info.loadMs / articles.length) * 1000).toFixed(0)} µs/article) |`,
    `| after-load maintenance (${target.dialect === 'sqlite' ? "FTS5 'optimize' + ANALYZE" : 'VACUUM ANALYZE'}) | ${(info.maintenanceMs / 1000).toFixed(1)} s |`,
    `| index size (${target.dialect === 'sqlite' ? 'article_search* shadow tables, dbstat' : 'pg_total_relation_size(article_search): table, TOAST, 2 GIN'}) | ${mb(info.indexBytes)} |`,
    `| search knowledge load (typo vocabulary, lexicon of every published text, BM25 figures: the first search after a change) | ${ms(info.vocabularyMs)} ms |`,
    '',
    `| Class | Queries | p50 ms | p95 ms | p99 ms | max ms | recall vs substring | precision vs substring | recall / precision ignoring spacing |`,
    '|---|---|---|---|---|---|---|---|---|',
  );
  for (const kind of classes) {
    const rs = results.filter((r) => r.query.kind === kind);
    const s = rs.flatMap((r) => r.samples);
    const agg = (f: (r: QueryResult) => number) => rs.reduce((a, r) => a + f(r), 0) / rs.length;
    const quality =
      kind === 'typo'
        ? `corrected ${rs.filter((r) => r.correctedQuery === r.query.expectCorrection).length}/${rs.length} | – | –`
        : kind === 'spoken'
          ? `topic in top 3: ${onTopic}/${rs.length} | – | –`
          : `${pct(agg((r) => r.vsRaw.recall))} | ${pct(agg((r) => r.vsRaw.precision))} | ${pct(agg((r) => r.vsCompact.recall))} / ${pct(agg((r) => r.vsCompact.precision))}`;
    lines.push(`| ${kind} | ${rs.length} | ${ms(percentile(s, 50))} | ${ms(percentile(s, 95))} | ${ms(percentile(s, 99))} | ${ms(Math.max(...s))} | ${quality} |`);
  }
  lines.push(
    `| **all** | ${results.length} | **${ms(percentile(all, 50))}** | **${ms(p95)}** | **${ms(percentile(all, 99))}** | ${ms(Math.max(...all))} | | | |`,
    '',
    '| Query | Class | total | matched (exact) | substring | ignoring spacing | p50 ms | p95 ms | corrected to | top hit |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of results) {
    lines.push(
      `| ${r.query.q} | ${r.query.kind} | ${fmtTotal(r.total)} | ${r.matched.toLocaleString('en')} | ${r.oracleRaw.toLocaleString('en')} | ${r.oracleCompact.toLocaleString('en')} | ${ms(percentile(r.samples, 50))} | ${ms(percentile(r.samples, 95))} | ${r.correctedQuery ?? ''} | ${r.topTitle.replace(/\|/g, '\\|')} |`,
    );
  }
  lines.push(
    '',
    `Target p95 < ${LATENCY_TARGET_P95_MS} ms in every class: **${isEveryClassFast ? 'met' : 'NOT met'}** (all: ${ms(p95)} ms). ` +
      `Recall of the exact match set against a substring scan of title + keywords + body of published articles: ` +
      `**${isRecallComplete ? '100 % for every non-typo query' : 'incomplete'}**. Precision against the raw substring scan is below ` +
      `100 % only by design: the search ignores spacing and punctuation (여권발급 also finds "여권 발급", 주정차 finds "주·정차"); ` +
      `against the spacing-insensitive scan it is exact. Typo queries: ${corrected}/${typos.length} corrected as expected. ` +
      `Spoken questions (${spoken.length}, up to ${Math.max(...spoken.map((r) => Array.from(r.query.q).length))} characters; any word may match, ranked): ` +
      `the right topic among the first three hits for ${onTopic}; up to 200 matching articles are all scored in core, above that the ` +
      `database's own ranking (FTS5 bm25 / a title-weighted count on PostgreSQL) picks the 60 scored, so the two databases may order them differently. ` +
      `\`total\` is counted up to ${SEARCH_TOTAL_CAP.toLocaleString('en')} and shown as "${SEARCH_TOTAL_CAP.toLocaleString('en')}+" at the cap ` +
      `(${isTotalConsistent ? 'never below the exact match set: any meaningful word may match' : 'BELOW the exact match set for some query'}).`,
  );
  return { title: `Korean KB search — ${target.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`, markdown: lines.join('\n'), targetsMet: isMet };
}

export const run: Bench = async ({ quick }) => {
  const count = quick ? 10_000 : 100_000;
  const runs = quick ? 5 : 20;
  const articles = generateArticles(count);
  const oracles = new Map(QUERIES.map((q) => [q.q, oracle(articles, q.q)]));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onecall-search-bench-'));
  const sections: BenchSection[] = [];
  try {
    sections.push(await benchDialect(() => openSqlite(dir), articles, oracles, runs));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  try {
    sections.push(await benchDialect(() => openPostgres(url), articles, oracles, runs));
  } catch (error) {
    sections.push({
      title: 'Korean KB search — PostgreSQL',
      markdown: `Not measured: PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//…@')} failed: ${String(error)}`,
      targetsMet: false,
    });
  }
  return sections;
};
