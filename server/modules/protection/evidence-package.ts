import JSZip from 'jszip';
import type { IncidentDetail } from '../../../core/contracts/protection';
import { ABUSE_TYPE_LABELS, type AbuseType } from '../../../core/domain/protection';

/** One event of the call's log, as the package lists it. */
export type EvidenceEvent = { type: string; at: string; detail: string | null };

/** What goes into an evidence package, and who asked for it and why (stamped on every page). */
export type EvidenceInput = {
  detail: IncidentDetail;
  events: readonly EvidenceEvent[];
  exportedBy: string;
  exportedAt: string;
  reason: string;
};

const END_KIND_KO: Record<string, string> = { after_warnings: '경고 후 종료', emergency: '긴급종료', reported: '통화 후 신고' };
const kst = (iso: string | null) => (iso ? `${new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')} KST` : '—');
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const typeKo = (t: string) => ABUSE_TYPE_LABELS[t as AbuseType] ?? t;

/** The readable page of the package (Korean, printable, no scripts or outside resources). */
export function evidencePage(input: EvidenceInput): string {
  const { incident, versions, warnings } = input.detail;
  const row = (k: string, v: string) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`;
  return `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>상담사 보호 사건 기록 ${escapeHtml(incident.id)}</title>
<style>body{font-family:sans-serif;margin:24px;color:#1a2430}table{border-collapse:collapse;margin:8px 0 20px}th,td{border:1px solid #ccd3dc;padding:6px 10px;text-align:left;vertical-align:top}th{background:#f3f6fa}.stamp{color:#5d6a7c;font-size:12px}</style>
</head><body>
<h1>상담사 보호 사건 기록 (산업안전보건법 제41조)</h1>
<p class="stamp">내보낸 사람 ${escapeHtml(input.exportedBy)} · ${escapeHtml(kst(input.exportedAt))} · 사유: ${escapeHtml(input.reason)}</p>
<h2>사건</h2>
<table>
${row('사건 번호', incident.id)}
${row('상담사', incident.agentName)}
${row('유형', typeKo(incident.type))}
${row('처리', END_KIND_KO[incident.endKind] ?? incident.endKind)}
${row('통화 연결', kst(incident.callAnsweredAt))}
${row('첫 경고', kst(incident.firstWarningAt))}
${row('통화 종료', kst(incident.endedAt))}
${row('경고 횟수', String(incident.warningsGiven))}
${row('녹취 참조', incident.recordingRef ?? '—')}
${row('메모', incident.notes ?? '—')}
${row('기록', `${incident.recordedByName} · ${kst(incident.recordedAt)} (${incident.version}판)`)}
</table>
<h2>경고 안내</h2>
<table><tr><th>일시</th><th>유형</th><th>차수</th><th>안내 문구</th></tr>
${warnings.map((w) => `<tr><td>${escapeHtml(kst(w.at))}</td><td>${escapeHtml(typeKo(w.type))}</td><td>${w.step}</td><td>${escapeHtml(w.text)}</td></tr>`).join('\n')}
</table>
<h2>통화 기록</h2>
<table><tr><th>일시</th><th>사건</th><th>내용</th></tr>
${input.events.map((e) => `<tr><td>${escapeHtml(kst(e.at))}</td><td>${escapeHtml(e.type)}</td><td>${escapeHtml(e.detail ?? '')}</td></tr>`).join('\n')}
</table>
<h2>정정 이력</h2>
<table><tr><th>판</th><th>기록</th><th>유형</th><th>메모</th><th>정정 사유</th></tr>
${versions.map((v) => `<tr><td>${v.version}</td><td>${escapeHtml(`${v.recordedByName} · ${kst(v.recordedAt)}`)}</td><td>${escapeHtml(typeKo(v.type))}</td><td>${escapeHtml(v.notes ?? '')}</td><td>${escapeHtml(v.correctionReason ?? '')}</td></tr>`).join('\n')}
</table>
</body></html>
`;
}

/**
 * The evidence package (ZIP) of one incident for a complaint or accusation (시행령 제41조 4호): the incident with its
 * versions, warnings and the call's event log as JSON, the same as a readable HTML page, the notes, and the recording
 * reference (the recording itself stays in the phone system, which keeps it under that reference).
 */
export async function buildEvidencePackage(input: EvidenceInput): Promise<Buffer> {
  const zip = new JSZip();
  const at = new Date(input.exportedAt);
  const add = (name: string, content: string) => zip.file(name, content, { date: at });
  add('incident.json', `${JSON.stringify({ exportedBy: input.exportedBy, exportedAt: input.exportedAt, reason: input.reason, ...input.detail, events: input.events }, null, 2)}\n`);
  add('incident.html', evidencePage(input));
  add('notes.txt', `${input.detail.versions.map((v) => `[${v.version}판 ${kst(v.recordedAt)} ${v.recordedByName}] ${v.notes ?? ''}`).join('\n')}\n`);
  add('recording.txt', `녹취 참조 (전화 시스템:통화 ID): ${input.detail.incident.recordingRef ?? '없음 (통화 후 신고)'}\n`);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
