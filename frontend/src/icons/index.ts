// Every Atlaskit icon the app uses, imported here only (see package.json beside this file).
export { default as CopyIcon } from '@atlaskit/icon/core/copy';
export { default as CrossIcon } from '@atlaskit/icon/core/cross';
export { default as LockLockedIcon } from '@atlaskit/icon/core/lock-locked';
export { default as SearchIcon } from '@atlaskit/icon/core/search';
export { default as StatusErrorIcon } from '@atlaskit/icon/core/status-error';
export { default as StatusInformationIcon } from '@atlaskit/icon/core/status-information';
export { default as StatusSuccessIcon } from '@atlaskit/icon/core/status-success';
export { default as StatusWarningIcon } from '@atlaskit/icon/core/status-warning';
