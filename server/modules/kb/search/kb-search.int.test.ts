import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_TOTAL_CAP } from '../../../../core/domain/korean-search';
import type { ArticleStatus } from '../../../../core/contracts/enums';
import type { KbSearchResult } from '../../../../core/contracts/kb';
import { KbSearchResultSchema } from '../../../../core/contracts/kb';
import type { DatabaseHandle } from '../../../db/database';
import { newId } from '../../../lib/ids';
import { createTestDb } from '../../../test/test-db';
import { createKbSearch, nextArticleSeq, type KbSearch, type SearchableArticle } from './kb-search';

type Fixture = { key: string; title: string; body: string; keywords?: string[]; status?: ArticleStatus; category: 'civil' | 'tax' | 'env' | 'welfare' };

// Real-looking 상담 지식 articles. Keys name them in assertions.
const FIXTURES: Fixture[] = [
  { key: 'passport-issue', category: 'civil', title: '여권 발급 신청 방법', keywords: ['여권', '발급'], body: '여권을 처음 발급받으려면 신분증과 여권용 사진 1매를 준비하여 구청 민원실을 방문하세요. 발급에는 보통 4~5일이 걸립니다.' },
  { key: 'passport-reissue', category: 'civil', title: '여권 재발급 안내', keywords: ['여권'], body: '유효기간이 지난 여권은 재발급을 신청해야 합니다. 기존 여권을 반드시 지참하세요.' },
  { key: 'passport-lost', category: 'civil', title: '여권을 잃어버렸을 때', keywords: ['분실'], body: '분실 신고는 가까운 구청이나 경찰서에서 할 수 있으며, 신고 후 새 여권을 신청할 수 있습니다.' },
  { key: 'travel-prep', category: 'civil', title: '해외 출국 전 준비사항', body: '출국 전에 여권 유효기간을 확인하세요. 여권 만료일이 6개월 이내이면 입국이 거절될 수 있습니다. 여권 사본과 여권 번호를 따로 보관하면 좋습니다.' },
  { key: 'resident-copy', category: 'civil', title: '주민등록등본 발급', keywords: ['등본', '주민등록'], body: '주민등록등본은 정부24에서 온라인으로 발급하거나 행정복지센터 무인민원발급기에서 뗄 수 있습니다.' },
  { key: 'move-in', category: 'civil', title: '전입신고 방법과 기한', keywords: ['전입', '이사'], body: '이사한 날부터 14일 이내에 전입신고를 해야 합니다. 신분증과 임대차계약서를 준비하시고, 세대주의 확인이 필요할 수 있습니다.' },
  { key: 'move-in-late', category: 'civil', title: '이사 후 늦게 신고한 경우 과태료', body: '정해진 기한을 넘겨 전입 신고를 하면 과태료가 부과됩니다. 사정이 있으면 사유서를 제출하세요.' },
  { key: 'car-tax', category: 'tax', title: '자동차세 납부 기한과 방법', keywords: ['자동차세', '납부'], body: '자동차세는 6월과 12월에 부과되며, 위택스나 은행 자동화기기로 납부할 수 있습니다.' },
  { key: 'car-tax-prepay', category: 'tax', title: '자동차세 연납 할인', keywords: ['연납'], body: '1월에 1년치 자동차세를 한꺼번에 내면 세액의 일부를 공제받을 수 있습니다.' },
  { key: 'local-tax', category: 'tax', title: '지방세 체납 시 불이익', keywords: ['지방세', '체납'], body: '지방세를 체납하면 가산금이 붙고 재산이 압류될 수 있습니다. 분할 납부를 상담하세요.' },
  { key: 'parking-fine', category: 'tax', title: '주정차 위반 과태료 납부', keywords: ['주정차', '과태료'], body: '주·정차 위반 과태료는 사전통지 기간에 자진 납부하면 20% 감경됩니다. 의견진술도 가능합니다.' },
  { key: 'water-bill', category: 'tax', title: '수도요금 고지서 재발행', keywords: ['수도요금'], body: '수도 요금 고지서를 받지 못했다면 상수도사업본부에 재발행을 요청하세요.' },
  { key: 'bulky-waste', category: 'env', title: '대형폐기물 배출 신고', keywords: ['대형폐기물', '쓰레기'], body: '장롱, 침대 같은 대형폐기물은 구청 누리집에서 배출 신고를 하고 수수료를 낸 뒤 스티커를 붙여 내놓으세요.' },
  { key: 'garbage-bag', category: 'env', title: '쓰레기 종량제 봉투 구입처', keywords: ['종량제', '쓰레기'], body: '종량제 봉투는 동네 편의점과 마트에서 살 수 있습니다. 다른 구의 봉투는 쓸 수 없습니다.' },
  { key: 'recycling', category: 'env', title: '재활용품 분리배출 요일', keywords: ['재활용'], body: '재활용품은 매주 수요일 저녁에 내놓으세요. 음식물 쓰레기는 전용 용기에 담아 주세요.' },
  { key: 'basic-pension', category: 'welfare', title: '기초연금 신청 자격', keywords: ['기초연금', '노인'], body: '만 65세 이상이고 소득인정액이 선정기준액 이하인 분은 기초연금을 받을 수 있습니다.' },
  { key: 'child-allowance', category: 'welfare', title: '아동수당 신청 방법', keywords: ['아동수당'], body: '만 8세 미만 아동에게 매월 10만원을 지급합니다. 출생신고와 함께 신청할 수 있습니다.' },
  { key: 'building-permit', category: 'civil', title: '건축허가 신청 절차', keywords: ['건축허가', '인허가'], body: '건축허가는 설계도서를 갖추어 세움터로 신청합니다. 처리기간은 보통 15일입니다.' },
  { key: 'pet-neuter', category: 'welfare', title: '반려동물 중성화 수술 지원', keywords: ['반려동물'], body: '길고양이 중성화 사업과 별도로, 저소득층 반려견의 중성화 수술비를 지원합니다.' },
  { key: 'drone-draft', category: 'civil', title: '드론비행 승인 안내', keywords: ['드론비행'], body: '드론비행 승인은 아직 검토 중인 초안입니다.', status: 'draft' },
  { key: 'old-notice', category: 'civil', title: '코로나 선별진료소 운영', keywords: ['선별진료소'], body: '선별진료소 운영은 종료되었습니다.', status: 'archived' },
];

const CATEGORIES = {
  civil: { path: '행정 > 민원', department: '민원여권과' },
  tax: { path: '세무 > 자동차세', department: '세무과' },
  env: { path: '환경 > 청소', department: '자원순환과' },
  welfare: { path: '복지 > 노인·아동', department: '복지정책과' },
} as const;

let handle: DatabaseHandle;
let kb: KbSearch;
const articles = new Map<string, SearchableArticle>();
const keyOf = new Map<string, string>();

async function insertArticle(f: Fixture, categoryId: string, departmentId: string): Promise<SearchableArticle> {
  const now = new Date().toISOString();
  return handle.db.transaction().execute(async (trx) => {
    const article: SearchableArticle = {
      id: newId(),
      seq: await nextArticleSeq(trx),
      title: f.title,
      body: f.body,
      keywords: f.keywords ?? [],
      status: f.status ?? 'published',
    };
    await trx
      .insertInto('articles')
      .values({
        id: article.id,
        seq: article.seq,
        category_id: categoryId,
        department_id: departmentId,
        title: article.title,
        body: article.body,
        keywords: JSON.stringify(article.keywords),
        status: article.status,
        version: 1,
        review_by: null,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await kb.indexArticle(trx, article);
    return article;
  });
}

const search = async (q: string, limit = 10): Promise<KbSearchResult> => KbSearchResultSchema.parse(await kb.search({ q, limit }));
const keys = (r: KbSearchResult) => r.hits.map((h) => keyOf.get(h.id));
const marked = (h: { text: string; hit: boolean }[]) => h.map((s) => (s.hit ? `[${s.text}]` : s.text)).join('');

beforeAll(async () => {
  handle = await createTestDb();
  kb = createKbSearch(handle.db, handle.dialect);
  const now = new Date().toISOString();
  const ids: Record<string, { category: string; department: string }> = {};
  for (const [code, c] of Object.entries(CATEGORIES)) {
    const department = newId();
    const category = newId();
    await handle.db.insertInto('departments').values({ id: department, code, name: c.department, phone: null, location: null, created_at: now }).execute();
    await handle.db
      .insertInto('categories')
      .values({ id: category, parent_id: null, level: 1, code, name: c.path, path: c.path, department_id: department, complaint_type: null, deadline_days: null, sort_order: 0, is_active: 1 })
      .execute();
    ids[code] = { category, department };
  }
  for (const f of FIXTURES) {
    const article = await insertArticle(f, ids[f.category]!.category, ids[f.category]!.department);
    articles.set(f.key, article);
    keyOf.set(article.id, f.key);
  }
});

afterAll(async () => {
  await handle?.close();
});

describe('Korean knowledge-base search', () => {
  it.each([
    ['여권', ['passport-issue', 'passport-reissue', 'passport-lost', 'travel-prep']],
    ['등본', ['resident-copy']],
    ['납부', ['car-tax', 'local-tax', 'parking-fine']],
    ['중성화', ['pet-neuter']],
  ])('finds the two-syllable (and longer) word %s', async (q, expected) => {
    const r = await search(q);
    expect(new Set(keys(r))).toEqual(new Set(expected));
    expect(r.total).toBe(expected.length);
    expect(r.correctedQuery).toBeNull();
  });

  it.each([
    ['query without a space finds the spaced text', '여권발급', 'passport-issue'],
    ['query with a space finds the compound', '전입 신고', 'move-in'],
    ['query without a space finds spaced body text', '수도요금고지서', 'water-bill'],
    ['punctuation is ignored: 주정차 finds 주·정차', '주정차', 'parking-fine'],
  ])('spacing variants: %s', async (_name, q, key) => {
    expect(keys(await search(q))).toContain(key);
  });

  it('전입신고 and 전입 신고 find the same articles (spaced and unspaced texts)', async () => {
    const a = await search('전입신고');
    const b = await search('전입 신고');
    expect(new Set(keys(a).slice(0, 2))).toEqual(new Set(['move-in', 'move-in-late']));
    expect(new Set(keys(b).slice(0, 2))).toEqual(new Set(keys(a).slice(0, 2)));
  });

  it('finds a word inside a compound and with particles', async () => {
    expect(keys(await search('신고'))).toEqual(expect.arrayContaining(['move-in', 'passport-lost', 'bulky-waste']));
    expect(keys(await search('여권을'))).toEqual(expect.arrayContaining(['passport-issue', 'passport-lost']));
  });

  it('any word recalls an article, and the article with every word comes first (issue #13)', async () => {
    expect(keys(await search('여권 분실'))[0]).toBe('passport-lost');
    expect(keys(await search('과태료 납부'))[0]).toBe('parking-fine');
    // An everyday word the article lacks no longer drops it.
    expect(keys(await search('여권 분실 했는데 두번째예요'))[0]).toBe('passport-lost');
  });

  it.each([
    ['여권 발금', '여권 발급', 'passport-issue'],
    ['자동차쎄', '자동차세', 'car-tax'],
    ['쓰래기', '쓰레기', 'garbage-bag'],
    ['기초연굼', '기초연금', 'basic-pension'],
    // What looks like a particle does not hide a typo: 과태로 is 과태료, not 과태 + 로 (issue #13).
    ['과태로 어디서 내요', '과태료 어디서 내요', 'parking-fine'],
  ])('forgives the typo %s → %s', async (q, corrected, key) => {
    const r = await search(q);
    expect(r.correctedQuery).toBe(corrected);
    expect(keys(r).slice(0, 2)).toContain(key);
    expect(r.hits[0]!.titleHighlight.some((s) => s.hit)).toBe(true);
  });

  it('falls back to most bigrams for a typo in a body-only word', async () => {
    const r = await search('임대차계약사');
    expect(r.correctedQuery).toBeNull();
    expect(keys(r)).toEqual(['move-in']);
    expect(marked(r.hits[0]!.snippet)).toContain('[임대차계');
  });

  it('finds nothing for an unrelated word, and says so (no answer, nearest topics)', async () => {
    const r = await search('우주선');
    expect(r).toMatchObject({ total: 0, hits: [], correctedQuery: null, isWeak: true });
  });

  it('does not rewrite a word that is no typo of a KB word (비자), and finding words is an answer', async () => {
    expect((await search('여권 비자')).correctedQuery).toBeNull();
    expect((await search('여권 발급')).isWeak).toBe(false);
  });

  it('puts title and keyword matches before body matches', async () => {
    const r = await search('여권');
    // travel-prep says 여권 four times in its body, never in its title: still last.
    expect(new Set(keys(r).slice(0, 3))).toEqual(new Set(['passport-issue', 'passport-reissue', 'passport-lost']));
    expect(keys(r)[3]).toBe('travel-prep');
    // Neither matches the whole query in its title; the title weight still ranks a partial title match higher.
    expect(keys(await search('여권 유효기간')).slice(0, 2)).toEqual(['passport-reissue', 'travel-prep']);
  });

  it('returns category, department and highlight segments (not HTML)', async () => {
    const r = await search('여권발급');
    const hit = r.hits.find((h) => keyOf.get(h.id) === 'passport-issue')!;
    expect(hit).toMatchObject({ title: '여권 발급 신청 방법', categoryPath: '행정 > 민원', departmentName: '민원여권과' });
    expect(hit.titleHighlight).toEqual([
      { text: '여권 발급', hit: true },
      { text: ' 신청 방법', hit: false },
    ]);
    // The body says 여권을 처음 발급받으려면: 여권발급 is split into its words, each marked where it occurs.
    expect(marked(hit.snippet)).toContain('[여권]을');
  });

  it('snippet is a window around the first body hit, tolerant of spacing', async () => {
    const r = await search('전입신고');
    const late = r.hits.find((h) => keyOf.get(h.id) === 'move-in-late')!;
    expect(marked(late.snippet)).toContain('[전입 신고]를');
    expect(late.snippet.map((s) => s.text).join('').length).toBeLessThanOrEqual(122);
  });

  it('normalises NFD input', async () => {
    expect(keys(await search('여권 발급'.normalize('NFD')))).toContain('passport-issue');
  });

  it('one-syllable terms match the syllable anywhere, word-final included', async () => {
    const r = await search('세', 50);
    expect(keys(r)).toEqual(expect.arrayContaining(['car-tax', 'local-tax', 'move-in']));
    for (const hit of r.hits) {
      const a = articles.get(keyOf.get(hit.id)!)!;
      expect(`${a.title}${a.keywords.join('')}${a.body}`).toContain('세');
    }
    expect(keys(await search('자동차 세'))).toEqual(expect.arrayContaining(['car-tax', 'car-tax-prepay']));
  });

  it('bad input (FTS syntax, emoji, mixed script, long rambling) returns a result, never an error', async () => {
    for (const q of ['" * NEAR OR AND ( "', '🙂🙂🙂', 'passport 여권 分失', 'NEAR(여권 발급)', '여권 '.repeat(20), '-- ; drop table articles']) {
      const r = await search(q);
      expect(Array.isArray(r.hits)).toBe(true);
    }
    expect(keys(await search('NEAR(여권 분실) OR *'))[0]).toBe('passport-lost');
  });

  it('ignores a query without letters or digits', async () => {
    expect(await search(' ·… ')).toMatchObject({ total: 0, hits: [] });
  });

  it('never returns drafts or archived articles', async () => {
    expect((await search('드론비행')).hits).toEqual([]);
    expect((await search('선별진료소')).hits).toEqual([]);
  });

  it('publishing, unpublishing and removing update the index (and the typo vocabulary)', async () => {
    const draft = articles.get('drone-draft')!;
    const setStatus = async (status: ArticleStatus) => {
      await handle.db.transaction().execute(async (trx) => {
        await trx.updateTable('articles').set({ status }).where('id', '=', draft.id).execute();
        await kb.indexArticle(trx, { ...draft, status });
      });
    };
    await setStatus('published');
    expect(keys(await search('드론비행'))).toEqual(['drone-draft']);
    expect((await search('드론비횅')).correctedQuery).toBe('드론비행');
    await setStatus('archived');
    expect((await search('드론비행')).total).toBe(0);
    expect((await search('드론비횅')).correctedQuery).toBeNull();

    await handle.db.transaction().execute((trx) => kb.removeArticle(trx, articles.get('recycling')!.seq));
    expect(keys(await search('재활용'))).toEqual([]);
  });

  it('an index write rolled back with its transaction leaves no trace', async () => {
    const reissue = articles.get('passport-reissue')!;
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await kb.indexArticle(trx, { ...reissue, title: '무지개다리 안내' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect((await search('무지개다리')).total).toBe(0);
    expect(keys(await search('재발급'))).toContain('passport-reissue');
  });

  it('rebuild re-indexes published articles from the table', async () => {
    const before = await search('여권');
    const { indexed } = await kb.rebuild();
    const published = await handle.db.selectFrom('articles').select('id').where('status', '=', 'published').execute();
    expect(indexed).toBe(published.length);
    expect(await search('여권')).toMatchObject({ total: before.total });
    // recycling was removed from the index above but is still published in the table.
    expect(keys(await search('재활용'))).toEqual(['recycling']);
  });

  it('caps the total and, past the cap, lists title matches first, then newest', async () => {
    const count = SEARCH_TOTAL_CAP + 20;
    const first = await nextArticleSeq(handle.db);
    const now = new Date().toISOString();
    const many: SearchableArticle[] = Array.from({ length: count }, (_, i) => ({
      id: newId(),
      seq: first + i,
      // The three oldest have the word in their title; all have it in the body.
      title: i < 3 ? `민원 안내문 ${i}` : `공지 ${i}`,
      body: `이 글은 시험용 민원 안내문입니다. 번호 ${i}.`,
      keywords: [],
      status: 'published',
    }));
    await handle.db.transaction().execute(async (trx) => {
      for (let i = 0; i < many.length; i += 200) {
        await trx
          .insertInto('articles')
          .values(
            many.slice(i, i + 200).map((a) => ({
              id: a.id, seq: a.seq, category_id: null, department_id: null, title: a.title, body: a.body,
              keywords: '[]', status: a.status, version: 1, review_by: null, created_by: null, created_at: now, updated_at: now,
            })),
          )
          .execute();
      }
      await kb.indexArticles(trx, many);
    });
    const r = await search('안내문', 10);
    expect(r.total).toBe(SEARCH_TOTAL_CAP);
    expect(r.hits).toHaveLength(10);
    expect(r.hits.slice(0, 3).map((h) => h.title).sort()).toEqual(['민원 안내문 0', '민원 안내문 1', '민원 안내문 2']);
    expect(r.hits[3]!.title).toBe(`공지 ${count - 1}`); // then the newest body match
    expect((await kb.matchSeqs('안내문')).length).toBe(count);
  });
});
