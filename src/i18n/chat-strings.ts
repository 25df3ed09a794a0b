/**
 * The text of the chat, files and reactions panel, in every language the widget has. It is
 * part of the panel's chunk rather than of strings.ts / zh-cn.ts: the initial script has a
 * byte budget, and this text is only needed once a call with the panel has joined. Pages
 * replace any of it through `strings.chatPanel` (e.g. `{ chatPanel: { send: 'Post' } }`).
 */
export interface ChatStrings {
  title: string;
  close: string;
  /** Shown while nobody has written anything. */
  empty: string;
  message: string;
  send: string;
  attach: string;
  reactions: string;
  /** Read out by screen readers when a message arrives. */
  said: (name: string, text: string) => string;
  reacted: (name: string, emoji: string) => string;
  tooFast: string;
  tooLarge: (file: string, limit: string) => string;
  nobody: string;
  sendingTo: (name: string) => string;
  from: (name: string) => string;
  done: string;
  canceled: string;
  failed: string;
  download: string;
  cancel: string;
  cancelFile: (file: string) => string;
}

export const enChat: ChatStrings = {
  title: 'Chat',
  close: 'Close chat',
  empty: 'No messages yet. Everyone in the call sees them, and so do people who join later.',
  message: 'Message',
  send: 'Send',
  attach: 'Send a file',
  reactions: 'Reactions',
  said: (name, text) => `${name}: ${text}`,
  reacted: (name, emoji) => `${name} reacted ${emoji}`,
  tooFast: 'You are sending too fast. Wait a moment, then try again.',
  tooLarge: (file, limit) => `${file} is too large to send: the limit is ${limit}.`,
  nobody: 'Nobody in the call can receive files yet.',
  sendingTo: (name) => `To ${name}`,
  from: (name) => `From ${name}`,
  done: 'Done',
  canceled: 'Canceled',
  failed: 'Failed',
  download: 'Download',
  cancel: 'Cancel',
  cancelFile: (file) => `Cancel ${file}`,
};

export const zhCNChat: ChatStrings = {
  title: '聊天',
  close: '关闭聊天',
  empty: '还没有消息。通话中的每个人都能看到消息，之后加入的人也能看到。',
  message: '消息',
  send: '发送',
  attach: '发送文件',
  reactions: '表情回应',
  said: (name, text) => `${name}：${text}`,
  reacted: (name, emoji) => `${name} 回应了 ${emoji}`,
  tooFast: '发送太快了。请稍等片刻再试。',
  tooLarge: (file, limit) => `${file} 太大，无法发送：上限为 ${limit}。`,
  nobody: '通话中还没有人能接收文件。',
  sendingTo: (name) => `发给 ${name}`,
  from: (name) => `来自 ${name}`,
  done: '完成',
  canceled: '已取消',
  failed: '失败',
  download: '下载',
  cancel: '取消',
  cancelFile: (file) => `取消 ${file}`,
};
