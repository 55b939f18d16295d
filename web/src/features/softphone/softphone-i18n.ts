/**
 * 소프트폰 (issue #17 §2) in Korean and English, merged into ko.ts / en.ts under `softphone`. The shape is checked by
 * {@link softphoneEn}'s type.
 */
export const softphoneKo = {
  label: '소프트폰',
  title: '브라우저 전화기 (SIP) 등록 상태',
  registration: {
    connecting: '연결 중',
    registered: '등록됨',
    disconnected: '연결 끊김',
  },
  retry: '다시 연결',
  retryIn: '{{seconds}}초 뒤 다시 연결',
  ringing: '전화벨이 울리고 있습니다',
  devices: '오디오 장치',
  microphone: '마이크',
  speaker: '스피커',
  defaultDevice: '기본 장치',
  mute: '음소거',
  unmute: '음소거 해제',
  muted: '마이크가 꺼져 있습니다 (민원인에게 들리지 않음)',
  consultRinging: '협의 상대를 호출하고 있습니다',
  consultTalking: '협의 상대와 통화 중 (민원인은 보류)',
  consultFailed: '협의 상대가 받지 않아 민원인 통화로 돌아왔습니다.',
  callbackCalling: '민원인에게 전화를 걸고 있습니다',
  callbackFailed: '민원인이 전화를 받지 않았습니다. 후처리에 결과를 남기세요.',
  media: {
    denied: '마이크 권한이 거부되었습니다. 주소창 왼쪽의 자물쇠 → 마이크 → 허용으로 바꾼 뒤 다시 연결을 누르세요.',
    noDevice: '마이크(헤드셋)를 찾을 수 없습니다. 헤드셋 연결을 확인하세요.',
    inUse: '마이크를 다른 프로그램이 사용 중입니다. 다른 통화 프로그램을 끄고 다시 연결을 누르세요.',
    insecure: '이 주소(https가 아님)에서는 브라우저가 마이크를 쓸 수 없습니다. 시스템 관리자에게 알리세요.',
    other: '마이크를 켜지 못했습니다. 헤드셋을 다시 꽂고 다시 연결을 누르세요.',
  },
  failed: {
    answer: '소프트폰으로 전화를 받지 못했습니다: {{reason}}',
    action: '소프트폰 명령을 보내지 못했습니다: {{reason}}',
    credentials: '소프트폰 인증 정보를 받지 못했습니다. 잠시 뒤 다시 연결합니다.',
  },
};

export const softphoneEn: typeof softphoneKo = {
  label: 'Softphone',
  title: 'Browser phone (SIP) registration',
  registration: {
    connecting: 'Connecting',
    registered: 'Registered',
    disconnected: 'Disconnected',
  },
  retry: 'Reconnect',
  retryIn: 'Reconnecting in {{seconds}} s',
  ringing: 'The phone is ringing',
  devices: 'Audio devices',
  microphone: 'Microphone',
  speaker: 'Speaker',
  defaultDevice: 'Default device',
  mute: 'Mute',
  unmute: 'Unmute',
  muted: 'Your microphone is off (the caller cannot hear you)',
  consultRinging: 'Calling the person to consult',
  consultTalking: 'Consulting (the caller is on hold)',
  consultFailed: 'The person did not answer: you are back with the caller.',
  callbackCalling: 'Calling the citizen back',
  callbackFailed: 'The citizen did not answer. Note the outcome in wrap-up.',
  media: {
    denied: 'Microphone permission was denied. Click the lock left of the address bar → Microphone → Allow, then Reconnect.',
    noDevice: 'No microphone (headset) was found. Check that the headset is plugged in.',
    inUse: 'Another program is using the microphone. Close the other calling program, then Reconnect.',
    insecure: 'The browser cannot use the microphone on this address (not https). Tell the system administrator.',
    other: 'The microphone could not be started. Plug the headset in again, then Reconnect.',
  },
  failed: {
    answer: 'The softphone could not answer: {{reason}}',
    action: 'The softphone could not send the command: {{reason}}',
    credentials: 'The softphone credentials could not be fetched. Trying again shortly.',
  },
};

export type SoftphoneText = typeof softphoneKo;

/** The strings in the desk's language (kept here rather than in the shared ko.ts / en.ts). */
export function softphoneText(language: string): SoftphoneText {
  return language.startsWith('en') ? softphoneEn : softphoneKo;
}

/** `{{name}}` placeholders filled as i18next does. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
