/**
 * Words of the one-stop details (issue #11 §3): 추가 민원 / 독촉 on the desk and the inbox, 나에게 배정, and 호 전환 to the
 * directory's targets. Korean first (civil-service wording); English mirrors it.
 */
export const oneStopKo = {
  chase: {
    mark: '독촉 {{count}}회',
    markTitle: '같은 민원인이 이 건으로 {{count}}번 더 전화했습니다 (마지막 {{at}})',
    additions: '추가 민원 {{count}}건',
    additionsLead: '같은 민원인이 다시 전화해 남긴 내용입니다. 이관 건은 하나로 유지됩니다.',
    addedBy: '{{number}} · {{agent}}',
    chooseHeading: '처리 중인 이관에 추가할 수 있습니다',
    chooseLead: '같은 건으로 다시 전화했다면 새로 이관하지 말고 기존 건에 추가하세요. 담당 부서에 바로 알리고 독촉으로 셉니다.',
    newHandOff: '새로 이관',
    option: '{{number}} · {{department}} · {{summary}}',
    append: '기존 이관에 추가',
    appendHint: '선택한 이관 건에 이 상담 내용을 추가하고 담당 부서에 알립니다',
    appendPreview: '{{number}} 이관 건({{department}})에 추가',
    appendPreviewHint: '새 이관을 만들지 않습니다. 처리기한은 그대로이고 담당 부서에 독촉으로 알립니다.',
    addedToCase: '같은 민원인이 다시 전화해 기존 이관 건에 추가한 상담입니다 (독촉). 회신과 회신 방법은 처음 접수한 건을 따릅니다.',
    saved: '접수번호 {{number}} 이관 건에 추가했습니다. {{department}}에 알렸습니다 (독촉 {{count}}회). 회신 기한은 그대로 {{due}}입니다.',
  },
  callerName: {
    add: '이름 입력',
    label: '민원인 이름',
    hint: '민원인이 알려 준 이름을 적습니다. 암호화해 저장하고 가려서 보여 줍니다.',
    save: '저장',
    saving: '저장 중…',
  },
  reply: {
    later: '나중에 정함 (상담 상세에서)',
  },
  assigned: {
    mine: '나에게 배정',
    mineHint: '내 업무(업무분장의 주·부 담당)이거나 내가 맡은 건만 봅니다',
    emptyMine: '나에게 배정된 처리 중인 건이 없습니다.',
  },
  blindTransfer: {
    target: '전환 대상 (업무분장)',
    search: '이름·부서·내선·번호로 찾기',
    none: '찾는 대상이 없습니다. 업무분장에 있는 담당자 내선이나 부서 번호만 고를 수 있습니다.',
    department: '부서 대표',
    chosen: '선택: {{name}} ({{target}})',
    choose: '목록에서 대상을 고르세요.',
    count: '{{count}}곳',
  },
};

export const oneStopEn: typeof oneStopKo = {
  chase: {
    mark: 'Chased {{count}}×',
    markTitle: 'The same citizen called {{count}} more time(s) about this (last {{at}})',
    additions: '{{count}} repeat call(s)',
    additionsLead: 'What the same citizen added when calling again. It stays one hand-off.',
    addedBy: '{{number}} · {{agent}}',
    chooseHeading: 'This caller has hand-offs in progress',
    chooseLead: 'If the call is about one of them, add to it instead of a new hand-off: the department is told at once and it counts as a chase.',
    newHandOff: 'New hand-off',
    option: '{{number}} · {{department}} · {{summary}}',
    append: 'Add to hand-off',
    appendHint: 'Adds this consultation to the chosen hand-off and tells its department',
    appendPreview: 'Add to hand-off {{number}} ({{department}})',
    appendPreviewHint: 'No new hand-off: the due date stays, and the department is told it was chased.',
    addedToCase: 'A repeat call added to an earlier hand-off (a chase). The reply and how it is sent follow the first case.',
    saved: 'Added to hand-off {{number}}. {{department}} was told (chased {{count}}×). The reply is still due {{due}}.',
  },
  callerName: {
    add: 'Add name',
    label: "Caller's name",
    hint: 'The name the caller gives. Stored encrypted and shown masked.',
    save: 'Save',
    saving: 'Saving…',
  },
  reply: {
    later: 'Decide later (on the case detail)',
  },
  assigned: {
    mine: 'Assigned to me',
    mineHint: 'Only my duties (primary or backup in the duty directory) and hand-offs I took',
    emptyMine: 'Nothing open is assigned to you.',
  },
  blindTransfer: {
    target: 'Transfer to (duty directory)',
    search: 'Find by name, department, extension or number',
    none: "Nothing matches. Only the directory's extensions and department numbers can be chosen.",
    department: 'Department line',
    chosen: 'Chosen: {{name}} ({{target}})',
    choose: 'Choose a target from the list.',
    count: '{{count}} targets',
  },
};
